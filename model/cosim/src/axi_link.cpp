// SPDX-License-Identifier: Apache-2.0 OR MIT
// axi_link: AXI ports of two modules connected by name (<smmu_cosim/axi_link.h>).
#define SC_INCLUDE_DYNAMIC_PROCESSES // sc_spawn: the type converters are spawned methods
#include <smmu_cosim/axi_link.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <tuple>
#include <type_traits>
#include <utility>

namespace smmu_cosim {

using namespace sc_core;

const std::vector<std::string> &axi_signal_names() {
    // AMBA AXI4 and AXI5 (IHI 0022) master/slave interface signals, by channel.
    static const std::vector<std::string> names = {
        // write address
        "awvalid", "awready", "awid", "awaddr", "awlen", "awsize", "awburst", "awlock", "awcache",
        "awprot", "awqos", "awregion", "awuser", "awdomain", "awsnoop", "awbar", "awunique",
        "awatop", "awtrace", "awloop", "awnsaid", "awsubsysid", "awidunq", "awpbha", "awtagop",
        "awstashnid", "awstashniden", "awstashlpid", "awstashlpiden", "awmmuvalid", "awmmusecsid",
        "awmmusid", "awmmussidv", "awmmussid", "awmmuatst", "awmmuflow", "awakeup",
        // write data
        "wvalid", "wready", "wid", "wdata", "wstrb", "wlast", "wuser", "wtrace", "wpoison",
        "wdatachk", "wtag", "wtagupdate",
        // write response
        "bvalid", "bready", "bid", "bresp", "buser", "btrace", "bloop", "bidunq", "bcomp",
        "bpersist", "btagmatch",
        // read address
        "arvalid", "arready", "arid", "araddr", "arlen", "arsize", "arburst", "arlock", "arcache",
        "arprot", "arqos", "arregion", "aruser", "ardomain", "arsnoop", "arbar", "artrace",
        "arloop", "arnsaid", "arsubsysid", "aridunq", "arpbha", "artagop", "archunken",
        "armmuvalid", "armmusecsid", "armmusid", "armmussidv", "armmussid", "armmuatst",
        "armmuflow",
        // read data
        "rvalid", "rready", "rid", "rdata", "rresp", "rlast", "ruser", "rtrace", "rloop", "ridunq",
        "rpoison", "rdatachk", "rchunkv", "rchunknum", "rchunkstrb", "rtag"};
    return names;
}

std::string axi_link_connection::to_string() const {
    char v[32];
    switch (kind) {
    case CONNECTED:
        return signal + ": " + master_port + " -> " + slave_port;
    case CONVERTED:
        return signal + ": " + master_port + " -> " + slave_port + " (converted)";
    case TIED_OFF:
        std::snprintf(v, sizeof v, "0x%llx", static_cast<unsigned long long>(value));
        return signal + ": " + (slave_port.empty() ? master_port : slave_port) + " tied to " + v;
    case OPEN:
        break;
    }
    return signal + ": " + (slave_port.empty() ? master_port : slave_port) + " open";
}

namespace {

// The value types Verilator gives SystemC ports (1 bit bool, 2-32 uint32_t, 33-64 uint64_t,
// wider sc_bv<N>; uint8_t / uint16_t with --pins-uint8) at the AXI data widths.
template <class T> struct tag { using type = T; };
using port_types = std::tuple<tag<bool>, tag<uint8_t>, tag<uint16_t>, tag<uint32_t>, tag<uint64_t>,
                              tag<sc_dt::sc_bv<128>>, tag<sc_dt::sc_bv<256>>,
                              tag<sc_dt::sc_bv<512>>, tag<sc_dt::sc_bv<1024>>>;
constexpr int n_port_types = std::tuple_size<port_types>::value;
template <int I> using type_at = typename std::tuple_element<I, port_types>::type::type;

template <class T> struct is_bv : std::false_type {};
template <int N> struct is_bv<sc_dt::sc_bv<N>> : std::true_type {};

template <class T> unsigned bus_bits() {
    if constexpr (std::is_same_v<T, bool>)
        return 1;
    else if constexpr (is_bv<T>::value)
        return static_cast<unsigned>(T().length());
    else
        return 8 * sizeof(T);
}

template <class T> uint64_t to_u64(const T &v) {
    if constexpr (is_bv<T>::value)
        return v.to_uint64();
    else
        return static_cast<uint64_t>(v);
}
template <class T> T from_u64(uint64_t v) {
    if constexpr (std::is_same_v<T, bool>) {
        return (v & 1) != 0;
    } else if constexpr (is_bv<T>::value) {
        T r;
        r = v;
        return r;
    } else {
        return static_cast<T>(v);
    }
}

struct port_view {
    sc_object *obj = nullptr;
    bool out = false; // the module drives it
    int type = -1;    // index into port_types; -1: not a port of a supported type
};

template <int I = 0> port_view view_of(sc_object *o) {
    if constexpr (I == n_port_types) {
        return port_view{o, false, -1};
    } else {
        using T = type_at<I>;
        if (dynamic_cast<sc_in<T> *>(o)) return port_view{o, false, I};
        if (dynamic_cast<sc_inout<T> *>(o)) return port_view{o, true, I};
        return view_of<I + 1>(o);
    }
}

template <int I = 0, class F> void with_type(int t, F &&f) {
    if constexpr (I < n_port_types) {
        if (t == I)
            f(tag<type_at<I>>{});
        else
            with_type<I + 1>(t, std::forward<F>(f));
    }
}

template <class T> void bind_port(const port_view &p, sc_signal<T> &s) {
    if (p.out)
        dynamic_cast<sc_inout<T> &> (*p.obj)(s);
    else
        dynamic_cast<sc_in<T> &> (*p.obj)(s);
}

// The module's ports named prefix + an AXI signal name, by signal name.
std::map<std::string, port_view> axi_ports(sc_module &m, const std::string &prefix) {
    static const std::set<std::string> names(axi_signal_names().begin(), axi_signal_names().end());
    std::map<std::string, port_view> r;
    for (sc_object *o : m.get_child_objects()) {
        const std::string b = o->basename();
        if (b.size() <= prefix.size() || b.compare(0, prefix.size(), prefix) != 0) continue;
        const std::string s = b.substr(prefix.size());
        if (!names.count(s)) continue;
        if (!dynamic_cast<sc_port_base *>(o)) continue; // a member that is not a port
        r[s] = view_of(o);
    }
    return r;
}

void fail(const std::string &what) {
    SC_REPORT_ERROR(axi_link::msg_type, what.c_str());
}

} // namespace

struct axi_link::impl {
    axi_link &l;

    template <class T> sc_signal<T> &make_signal(const std::string &name, const T &init) {
        auto s = std::make_shared<sc_signal<T>>(name.c_str(), init);
        l.signals_.push_back(s);
        return *s;
    }
    template <class T> sc_signal<T> &make_signal(const std::string &name) {
        return make_signal<T>(name, T());
    }

    template <class From, class To>
    void converter(sc_signal<From> &src, sc_signal<To> &dst, const std::string &name) {
        sc_spawn_options opt;
        opt.spawn_method();
        opt.set_sensitivity(&src.value_changed_event());
        sc_spawn([&src, &dst] { dst.write(from_u64<To>(to_u64(src.read()))); }, name.c_str(), &opt);
    }

    // Slave port s and master port m of the same signal, of opposite directions.
    void connect(const std::string &sig, const port_view &s, const port_view &m) {
        with_type(s.type, [&](auto st) {
            with_type(m.type, [&](auto mt) {
                using S = typename decltype(st)::type;
                using M = typename decltype(mt)::type;
                if constexpr (std::is_same_v<S, M>) {
                    sc_signal<S> &w = make_signal<S>(sig);
                    bind_port(s, w);
                    bind_port(m, w);
                    l.connections_.push_back(
                        {axi_link_connection::CONNECTED, sig, s.obj->name(), m.obj->name(), 0});
                } else if constexpr (!is_bv<S>::value && !is_bv<M>::value) {
                    sc_signal<S> &ws = make_signal<S>(sig);
                    sc_signal<M> &wm = make_signal<M>(sig + "_master");
                    bind_port(s, ws);
                    bind_port(m, wm);
                    if (m.out)
                        converter(wm, ws, sig + "_convert");
                    else
                        converter(ws, wm, sig + "_convert");
                    l.connections_.push_back(
                        {axi_link_connection::CONVERTED, sig, s.obj->name(), m.obj->name(), 0});
                }
            });
        });
    }

    // A port with nothing on the other side: an input gets `value`, an output a signal nobody
    // reads.
    void terminate(const std::string &sig, const port_view &p, bool slave, uint64_t value) {
        with_type(p.type, [&](auto t) {
            using T = typename decltype(t)::type;
            const std::string name = slave ? sig : sig + "_master";
            T init = from_u64<T>(value);
            if constexpr (is_bv<T>::value) // WSTRB of more than 64 lanes: all of them
                if (slave && sig == "wstrb" && !l.o_.tie_offs.count(sig)) init = ~T();
            sc_signal<T> &w = p.out ? make_signal<T>(name) : make_signal<T>(name, init);
            bind_port(p, w);
        });
        axi_link_connection c{p.out ? axi_link_connection::OPEN : axi_link_connection::TIED_OFF,
                              sig, slave ? p.obj->name() : "", slave ? "" : p.obj->name(),
                              p.out ? 0 : value};
        l.connections_.push_back(c);
    }

    void clock_or_reset(sc_module &m, const std::string &port, sc_signal_in_if<bool> &ch) {
        if (port.empty()) return;
        for (sc_object *o : m.get_child_objects())
            if (port == o->basename()) {
                if (auto *p = dynamic_cast<sc_in<bool> *>(o)) {
                    (*p)(ch);
                    return;
                }
                fail(std::string(o->name()) + " is not an sc_in<bool>");
                return;
            }
        fail(std::string(m.name()) + " has no port " + port);
    }
};

axi_link::axi_link(sc_module_name name, sc_module &master, sc_module &slave,
                   sc_signal_in_if<bool> &clk, sc_signal_in_if<bool> &rst_n,
                   const axi_link_options &o)
    : sc_module(name), o_(o) {
    impl im{*this};
    im.clock_or_reset(slave, o_.slave_clock, clk);
    im.clock_or_reset(slave, o_.slave_reset, rst_n);
    im.clock_or_reset(master, o_.master_clock, clk);
    im.clock_or_reset(master, o_.master_reset, rst_n);

    const auto sp = axi_ports(slave, o_.slave_prefix);
    const auto mp = axi_ports(master, o_.master_prefix);
    for (const auto *side : {&sp, &mp})
        for (const auto &[sig, v] : *side)
            if (v.type < 0) fail(std::string(v.obj->name()) + ": unsupported port type");

    // The slave's bus width (AxSIZE tie-off, WSTRB all ones).
    for (const char *d : {"wdata", "rdata"}) {
        auto it = sp.find(d);
        if (it == sp.end()) continue;
        with_type(it->second.type, [&](auto t) {
            slave_bus_bytes_ = std::max(1u, bus_bits<typename decltype(t)::type>() / 8);
        });
        break;
    }

    // Each direction the master has needs its handshakes, address and data.
    static const std::vector<std::string> needed[2] = {
        {"awvalid", "awready", "awaddr", "wvalid", "wready", "wdata", "bvalid", "bready"},
        {"arvalid", "arready", "araddr", "rvalid", "rready", "rdata"}};
    unsigned directions = 0;
    for (const auto &n : needed) {
        std::string missing;
        unsigned have = 0;
        for (const auto &s : n) {
            if (mp.count(s))
                have++;
            else
                missing += " " + o_.master_prefix + s;
        }
        if (have == n.size())
            directions++;
        else if (have)
            fail(std::string(master.name()) + " lacks" + missing);
    }
    if (!directions)
        fail(std::string(master.name()) + " has no AXI read or write ports named " +
             o_.master_prefix + "arvalid ... or " + o_.master_prefix + "awvalid ...");

    // Everything checked before anything is bound or spawned.
    constexpr int first_bv = 5; // port_types: sc_bv<N> from here on
    for (const auto &[sig, s] : sp) {
        auto it = mp.find(sig);
        if (it == mp.end()) continue;
        const port_view &m = it->second;
        if (s.out == m.out)
            fail(std::string(s.obj->name()) + " and " + m.obj->name() + " are both " +
                 (s.out ? "outputs" : "inputs"));
        else if ((sig == "wdata" || sig == "rdata") && s.type != m.type)
            fail(std::string(m.obj->name()) + " and " + s.obj->name() +
                 ": different data bus widths");
        else if ((s.type >= first_bv || m.type >= first_bv) && s.type != m.type)
            fail(std::string(m.obj->name()) + " and " + s.obj->name() +
                 ": different widths of more than 64 bits");
    }
    for (const auto &[sig, s] : sp) {
        auto it = mp.find(sig);
        if (it == mp.end())
            im.terminate(sig, s, true, tie_value(sig));
        else
            im.connect(sig, s, it->second);
    }
    for (const auto &[sig, m] : mp)
        if (!sp.count(sig)) im.terminate(sig, m, false, 0);

    unsigned n[4] = {0, 0, 0, 0};
    std::string terminated;
    for (const auto &c : connections_) {
        n[c.kind]++;
        if (c.kind >= axi_link_connection::TIED_OFF) terminated += "; " + c.to_string();
    }
    const std::string summary = std::to_string(n[0] + n[1]) + " signals connected (" +
                                std::to_string(n[1]) + " converted), " + std::to_string(n[2]) +
                                " tied off, " + std::to_string(n[3]) + " open" + terminated;
    SC_REPORT_INFO_VERB(msg_type, (std::string(this->name()) + ": " + summary).c_str(), SC_MEDIUM);
}

axi_link::~axi_link() = default;

uint64_t axi_link::tie_value(const std::string &s) const {
    auto it = o_.tie_offs.find(s);
    if (it != o_.tie_offs.end()) return it->second;
    if (s == "awuser" || s == "aruser") return axi_user_encode(o_.stream);
    if (s == "awprot" || s == "arprot") return o_.prot;
    if (s == "awburst" || s == "arburst") return AXI_INCR;
    if (s == "awsize" || s == "arsize") {
        uint64_t size = 0;
        while ((2u << size) <= slave_bus_bytes_)
            size++;
        return size;
    }
    if (s == "wstrb")
        return slave_bus_bytes_ >= 64 ? ~uint64_t(0) : (uint64_t(1) << slave_bus_bytes_) - 1;
    if (s == "wlast") return 1;
    // AXI5 with stream_source::axi5_mmu: a master without AxMMUVALID sends every transaction
    // with valid MMU signals (AxMMUVALID low would make it a physical access, A13.7)
    if (s == "awmmuvalid" || s == "armmuvalid") return 1;
    return 0; // VALIDs low, IDs, lengths (one beat), AxCACHE, AxLOCK, AxQOS ...
}

} // namespace smmu_cosim
