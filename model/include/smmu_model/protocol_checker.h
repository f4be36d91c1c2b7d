// SPDX-License-Identifier: Apache-2.0 OR MIT
// A TLM-2.0 base-protocol checker written from IEEE Std 1666-2011 (clause 11 core interfaces,
// clause 14 generic payload, clause 15 base protocol). It sits between two sockets, forwards every
// call unchanged in both directions (b_transport, nb_transport_fw, get_direct_mem_ptr,
// transport_dbg forward; nb_transport_bw, invalidate_direct_mem_ptr backward) and checks the
// rules on the way in and on the way back. It never modifies a transaction, phase or delay.
//
//   smmu_model::protocol_checker<> chk("chk");   // protocol_checker<64> on 64-bit sockets
//   initiator.socket.bind(chk.target);
//   chk.initiator.bind(target.socket);
//
// Every violation is reported with SC_REPORT_ERROR(protocol_checker_base::msg_type, text), text
// being "<rule id> <rule name>: <what happened> (checker <name>, payload 0x..., address 0x...)",
// the rule id naming the sub-clause of IEEE 1666-2011 ("14.15", "15.2.6", ...). What an error
// does is the integrator's choice through sc_report_handler: SystemC's default for SC_ERROR
// throws sc_core::sc_report; a test suite that wants to collect violations instead sets
//   sc_core::sc_report_handler::set_actions(smmu_model::protocol_checker_base::msg_type,
//                                           sc_core::SC_LOG | sc_core::SC_DISPLAY);
// and asserts violation_count() / violations() of each checker, or the process-wide
// protocol_checker_base::total_violations(). A violation is counted before it is reported, so the
// counters are right even when the report throws.
//
// Checkers share one process-wide registry of transactions in flight (payload address, which
// checker, the attribute values it entered with). With checkers on both sides of an interconnect,
// the downstream one sees that the object is still in progress upstream, so it can report an
// interconnect that changed attributes it may not change (14.7) and an object sent downstream
// again while its transaction is still in progress upstream (14.5). Sequential reuse of an object
// after its transaction completed is legal and is not reported.
//
// Cost when nothing is wrong: a few comparisons per call and a push/pop on a reserved vector; no
// string is formatted and nothing is allocated in steady state. The registry is searched
// linearly, which is cheap while few transactions are in flight at once (LT paths, AT pipelines
// of a few tens of transactions).
//
// Not checked (not cheaply checkable): the data array of a write or ignore command or the byte
// enable array being modified, wait() inside nb_transport/get_direct_mem_ptr/transport_dbg, timing
// annotation of b_transport, request ordering across sockets. Extended (ignorable) phases are
// reported as 15.2.5 like any non-base phase. Transactions an AT target never completes are not
// reported; pending() tells how many are still open.
#ifndef SMMU_MODEL_PROTOCOL_CHECKER_H
#define SMMU_MODEL_PROTOCOL_CHECKER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>

#if defined(__GNUC__)
#define SMMU_PC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SMMU_PC_PRINTF(f, a)
#endif

namespace smmu_model {

namespace detail {
struct pc_attrs; // attribute values of a transaction as it entered a checker
struct pc_hop;   // one transaction in flight through one checker
} // namespace detail

// Everything that does not depend on the bus width: the checks, the rule table, reporting and the
// shared registry. protocol_checker<BUSWIDTH> only adds the two sockets.
class protocol_checker_base : public tlm::tlm_fw_transport_if<>, public tlm::tlm_bw_transport_if<> {
  public:
    // The sc_report message type of every violation.
    static constexpr const char *msg_type = "smmu_model/protocol_checker";

    struct violation {
        std::string rule; // sub-clause of IEEE 1666-2011, e.g. "14.15"
        std::string name; // the rule's short name
        std::string text; // the reported message (starts with the rule id)
    };
    struct rule_info {
        const char *id;
        const char *name;
    };
    // Every rule the checker knows, in a fixed order.
    static const std::vector<rule_info> &rules();

    // This checker's violations (the first max_stored of them are kept, all are counted).
    const std::vector<violation> &violations() const {
        return violations_;
    }
    std::size_t violation_count() const {
        return count_;
    }
    std::size_t violation_count(const std::string &rule_id) const; // kept violations of one rule
    void reset_violations();
    static constexpr std::size_t max_stored = 1000;

    // All checkers of the process together.
    static std::uint64_t total_violations();
    static void reset_total_violations();

    // Transactions in flight through this checker (an AT transaction the target never completed
    // stays pending; that is not a violation).
    std::size_t pending() const;
    // Forgets this checker's transactions in flight and its request/response exclusion state,
    // e.g. between test cases that abandon transactions. Violations are kept.
    void reset_state();

    const char *checker_name() const;

    // Forward path (called through `target`).
    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &t) override;
    tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                       sc_core::sc_time &t) override;
    bool get_direct_mem_ptr(tlm::tlm_generic_payload &gp, tlm::tlm_dmi &dmi) override;
    unsigned int transport_dbg(tlm::tlm_generic_payload &gp) override;
    // Backward path (called through `initiator`).
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload &gp, tlm::tlm_phase &ph,
                                       sc_core::sc_time &t) override;
    void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) override;

  protected:
    explicit protocol_checker_base(const sc_core::sc_object *self);
    ~protocol_checker_base() override;
    protocol_checker_base(const protocol_checker_base &) = delete;
    protocol_checker_base &operator=(const protocol_checker_base &) = delete;

    // The interfaces calls are forwarded to (set at the end of elaboration).
    void connect(tlm::tlm_fw_transport_if<> *downstream, tlm::tlm_bw_transport_if<> *upstream);

  private:
    enum class check : unsigned char; // the rule table, in protocol_checker.cpp
    struct field; // an attribute that may not change in flight (protocol_checker.cpp)
    static const std::vector<field> &fields();

    void report(check c, const tlm::tlm_generic_payload *gp, const char *fmt, ...)
        SMMU_PC_PRINTF(4, 5);
    static const rule_info &info(check c);

    // Registry of transactions in flight.
    void scan(const tlm::tlm_generic_payload &gp, const detail::pc_hop **own,
              const detail::pc_hop **up) const;
    detail::pc_hop *own_hop(const tlm::tlm_generic_payload &gp, bool nb);
    detail::pc_hop *hop_by_seq(std::uint64_t seq);
    std::uint64_t open_hop(const tlm::tlm_generic_payload &gp, bool nb, unsigned char state,
                           const detail::pc_attrs &sent);
    void close_hop(std::uint64_t seq);

    // The checks.
    void check_request(const tlm::tlm_generic_payload &gp, const detail::pc_attrs &a);
    void check_path(const tlm::tlm_generic_payload &gp, const detail::pc_attrs &a,
                    const detail::pc_hop *up);
    void check_response(const tlm::tlm_generic_payload &gp, const detail::pc_attrs &sent,
                        const char *when);
    void wrong_phase(const tlm::tlm_generic_payload &gp, const tlm::tlm_phase &ph, bool from_target,
                     const char *where);
    void check_sync(const tlm::tlm_generic_payload &gp, tlm::tlm_sync_enum s,
                    const tlm::tlm_phase &ph_in, const tlm::tlm_phase &ph,
                    const sc_core::sc_time &t_in, const sc_core::sc_time &t);
    std::uint64_t begin_request(tlm::tlm_generic_payload &gp);
    void target_phase(const tlm::tlm_generic_payload &gp, std::uint64_t seq,
                      const tlm::tlm_phase &ph, const char *where);
    void fw_returned(const tlm::tlm_generic_payload &gp, std::uint64_t seq,
                     const tlm::tlm_phase &ph_in, tlm::tlm_sync_enum s, const tlm::tlm_phase &ph);
    void bw_returned(const tlm::tlm_generic_payload &gp, std::uint64_t seq,
                     const tlm::tlm_phase &ph_in, tlm::tlm_sync_enum s, const tlm::tlm_phase &ph);

    const sc_core::sc_object *self_;
    tlm::tlm_fw_transport_if<> *fw_ = nullptr;
    tlm::tlm_bw_transport_if<> *bw_ = nullptr;
    std::vector<violation> violations_;
    std::size_t count_ = 0;
    const tlm::tlm_generic_payload *req_open_ = nullptr;  // request not yet ended (15.2.6)
    const tlm::tlm_generic_payload *resp_open_ = nullptr; // response not yet ended (15.2.6)
    unsigned in_fw_ = 0, in_bw_ = 0;                      // nb_transport_fw / _bw calls in progress
};

// The checker module: `target` is bound by the upstream initiator or interconnect, `initiator` is
// bound to the downstream target or interconnect.
template <unsigned int BUSWIDTH = 32>
class protocol_checker : public sc_core::sc_module, public protocol_checker_base {
  public:
    tlm::tlm_target_socket<BUSWIDTH> target;
    tlm::tlm_initiator_socket<BUSWIDTH> initiator;

    explicit protocol_checker(sc_core::sc_module_name name)
        : sc_core::sc_module(name), protocol_checker_base(this), target("target"),
          initiator("initiator") {
        target.bind(static_cast<tlm::tlm_fw_transport_if<> &>(*this));
        initiator.bind(static_cast<tlm::tlm_bw_transport_if<> &>(*this));
    }
    const char *kind() const override {
        return "smmu_model::protocol_checker";
    }

  private:
    void end_of_elaboration() override {
        connect(initiator.operator->(), target.operator->());
    }
};

} // namespace smmu_model

#undef SMMU_PC_PRINTF

#endif
