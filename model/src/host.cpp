// SPDX-License-Identifier: Apache-2.0 OR MIT
#include <smmu_model/host.h>

#include <smmu/regs.h>

namespace smmu_model {

using namespace sc_core;

host::host(sc_module_name name, sc_time poll) : sc_module(name), socket("socket"), poll_(poll) {
    SC_THREAD(run);
}

host::~host() {
    for (auto &c : drivers_)
        smmu_drv_free(c->drv);
    for (auto &p : pmcgs_)
        smmu_drv_pmcg_free(p.second);
}

void host::run() {
    if (program_) program_(*this);
    finished_ = true;
    finished_ev_.notify();
}

bool host::access(tlm::tlm_command cmd, uint64_t addr, void *buf, size_t len) {
    tlm::tlm_generic_payload gp;
    gp.set_command(cmd);
    gp.set_address(addr);
    gp.set_data_ptr(static_cast<unsigned char *>(buf));
    gp.set_data_length(static_cast<unsigned>(len));
    gp.set_streaming_width(static_cast<unsigned>(len));
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time delay = SC_ZERO_TIME;
    socket->b_transport(gp, delay);
    if (delay != SC_ZERO_TIME) wait(delay);
    if (gp.get_response_status() != tlm::TLM_OK_RESPONSE) {
        counters_.bus_errors++;
        return false;
    }
    return true;
}

bool host::read(uint64_t addr, void *buf, size_t len) {
    counters_.mem_reads++;
    return access(tlm::TLM_READ_COMMAND, addr, buf, len);
}

bool host::write(uint64_t addr, const void *buf, size_t len) {
    counters_.mem_writes++;
    return access(tlm::TLM_WRITE_COMMAND, addr, const_cast<void *>(buf), len);
}

uint64_t host::reg_read(uint64_t addr, unsigned size) {
    uint8_t b[8] = {0};
    counters_.reg_reads++;
    bool ok = access(tlm::TLM_READ_COMMAND, addr, b, size > 8 ? 8 : size);
    if (poll_ != SC_ZERO_TIME) wait(poll_); // polling loops give the SMMU time to progress
    if (!ok) return 0;
    uint64_t v = 0;
    for (unsigned i = size > 8 ? 8 : size; i-- > 0;)
        v = (v << 8) | b[i];
    return v;
}

void host::reg_write(uint64_t addr, uint64_t val, unsigned size) {
    uint8_t b[8];
    for (unsigned i = 0; i < 8; i++)
        b[i] = static_cast<uint8_t>(val >> (8 * i));
    counters_.reg_writes++;
    access(tlm::TLM_WRITE_COMMAND, addr, b, size > 8 ? 8 : size);
}

uint64_t host::op_reg_read(void *ctx, uint64_t off, unsigned size) {
    auto *c = static_cast<drv_ctx *>(ctx);
    return c->h->reg_read(c->reg_base + off, size);
}

void host::op_reg_write(void *ctx, uint64_t off, uint64_t val, unsigned size) {
    auto *c = static_cast<drv_ctx *>(ctx);
    c->h->reg_write(c->reg_base + off, val, size);
}

int host::op_mem_read(void *ctx, uint64_t pa, void *buf, size_t len) {
    return static_cast<drv_ctx *>(ctx)->h->read(pa, buf, len) ? 0 : -1;
}

int host::op_mem_write(void *ctx, uint64_t pa, const void *buf, size_t len) {
    return static_cast<drv_ctx *>(ctx)->h->write(pa, buf, len) ? 0 : -1;
}

smmu_drv_t *host::new_driver(uint64_t reg_base, const smmu_drv_config_t &cfg) {
    std::unique_ptr<drv_ctx> c(new drv_ctx{this, reg_base, nullptr});
    smmu_drv_ops_t ops = {c.get(), op_reg_read, op_reg_write, op_mem_read, op_mem_write};
    c->drv = smmu_drv_new(&ops, &cfg);
    if (!c->drv) return nullptr;
    drivers_.push_back(std::move(c));
    return drivers_.back()->drv;
}

smmu_drv_pmcg_t *host::new_pmcg(uint64_t base) {
    std::unique_ptr<drv_ctx> c(new drv_ctx{this, base, nullptr});
    smmu_drv_ops_t ops = {c.get(), op_reg_read, op_reg_write, op_mem_read, op_mem_write};
    smmu_drv_pmcg_t *p = smmu_drv_pmcg_new(&ops);
    if (!p) return nullptr;
    pmcgs_.emplace_back(std::move(c), p);
    return p;
}

host::drv_ctx *host::ctx_of(smmu_drv_t *d) {
    for (auto &c : drivers_)
        if (c->drv == d) return c.get();
    return nullptr;
}

int host::enable_irqs(smmu_drv_t *d) {
    drv_ctx *c = ctx_of(d);
    if (!c) return SMMU_DRV_EINVAL;
    uint32_t v = SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN;
    reg_write(c->reg_base + SMMU_IRQ_CTRL, v, 4);
    for (unsigned i = 0; i < 1000; i++)
        if ((reg_read(c->reg_base + SMMU_IRQ_CTRLACK, 4) & v) == v) return 0;
    return SMMU_DRV_ETIMEDOUT;
}

} // namespace smmu_model
