// SPDX-License-Identifier: Apache-2.0 OR MIT
// smmu_utlb: a small synthesizable micro-TLB, the "RTL translation unit" of the co-simulation's
// lockstep check (docs/cosim.md). Fully associative, ENTRIES entries, round-robin replacement. It
// caches final translations that the reference model hands it (fill port), answers lookups from
// them (lookup port) and drops entries on the invalidations the SMMU's command queue carries
// (invalidation port). It never walks tables itself.
//
// An entry: StreamID, SubstreamID + SSV (the lookup tag), the ASID of the context (for
// ASID-scoped invalidation), the input page VPN = VA[63:12], the output page PPN = PA[63:12],
// SHIFT = log2(translation span) - 12 (0: 4 KiB page, 9: 2 MiB block ...) and the granted
// permissions {W, R}.
//
// Lookup: lk_valid for one cycle; lk_done rises for one cycle on the next clock edge with lk_hit,
// lk_ppn (output page of the looked-up VA) and lk_perm.
// Fill: fl_valid for one cycle; an existing entry of the same stream covering the VA is replaced.
// Invalidate: iv_valid for one cycle with iv_op:
//   0 ALL   every entry
//   1 ASID  entries with ASID == iv_asid               (CMD_TLBI_NH_ASID)
//   2 VA    entries with ASID == iv_asid covering VA   (CMD_TLBI_NH_VA)
//   3 VAA   entries of any ASID covering VA            (CMD_TLBI_NH_VAA)
//   4 SID   entries of StreamID iv_sid                 (CMD_CFGI_STE, CMD_CFGI_CD, ...)
//
// BUG_ASID8 (build option; also `define SMMU_UTLB_BUG_ASID8): plants a deliberate bug for the
// checker to find. The entries keep only ASID[7:0] (as if the designer had assumed 8-bit ASIDs,
// ignoring SMMU_IDR0.ASID16), so an ASID-scoped invalidation of an ASID above 255 never matches
// and the stale translation survives an unmap.
`ifdef SMMU_UTLB_BUG_ASID8
`define SMMU_UTLB_BUG_DEFAULT 1
`else
`define SMMU_UTLB_BUG_DEFAULT 0
`endif
module smmu_utlb #(
    parameter ENTRIES = 8,
    parameter BUG_ASID8 = `SMMU_UTLB_BUG_DEFAULT
) (
    input wire clk,
    input wire rst_n,
    // lookup
    input wire lk_valid,
    input wire [31:0] lk_sid,
    input wire [19:0] lk_ssid,
    input wire lk_ssv,
    input wire [51:0] lk_vpn,
    output reg lk_done,
    output reg lk_hit,
    output reg [51:0] lk_ppn,
    output reg [1:0] lk_perm,
    // fill
    input wire fl_valid,
    input wire [31:0] fl_sid,
    input wire [19:0] fl_ssid,
    input wire fl_ssv,
    input wire [15:0] fl_asid,
    input wire [51:0] fl_vpn,
    input wire [51:0] fl_ppn,
    input wire [4:0] fl_shift,
    input wire [1:0] fl_perm,
    // invalidate
    input wire iv_valid,
    input wire [2:0] iv_op,
    input wire [15:0] iv_asid,
    input wire [51:0] iv_vpn,
    input wire [31:0] iv_sid
);
  localparam IDX_W = (ENTRIES > 1) ? $clog2(ENTRIES) : 1;

  reg e_valid[0:ENTRIES-1];
  reg [31:0] e_sid[0:ENTRIES-1];
  reg [19:0] e_ssid[0:ENTRIES-1];
  reg e_ssv[0:ENTRIES-1];
  reg [15:0] e_asid[0:ENTRIES-1];
  reg [51:0] e_vpn[0:ENTRIES-1];
  reg [51:0] e_ppn[0:ENTRIES-1];
  reg [4:0] e_shift[0:ENTRIES-1];
  reg [1:0] e_perm[0:ENTRIES-1];
  reg [IDX_W-1:0] rr;

  // lookup match (combinational), first hit wins
  reg hit;
  reg [51:0] hit_ppn;
  reg [1:0] hit_perm;
  reg [51:0] m;
  integer i;
  always @(*) begin
    hit = 1'b0;
    hit_ppn = 52'd0;
    hit_perm = 2'd0;
    m = 52'd0;
    for (i = ENTRIES - 1; i >= 0; i = i - 1) begin
      m = ~((52'd1 << e_shift[i]) - 52'd1);
      if (e_valid[i] && e_sid[i] == lk_sid && e_ssv[i] == lk_ssv &&
          (!lk_ssv || e_ssid[i] == lk_ssid) && ((e_vpn[i] ^ lk_vpn) & m) == 52'd0) begin
        hit = 1'b1;
        hit_ppn = (e_ppn[i] & m) | (lk_vpn & ~m);
        hit_perm = e_perm[i];
      end
    end
  end

  wire [15:0] fl_asid_stored = (BUG_ASID8 != 0) ? {8'd0, fl_asid[7:0]} : fl_asid;

  // entries the current invalidation or fill removes (combinational)
  reg [ENTRIES-1:0] drop;
  reg [51:0] mi;
  reg va_in, asid_eq, kill, dup;
  integer k;
  always @(*) begin
    drop = {ENTRIES{1'b0}};
    mi = 52'd0;
    va_in = 1'b0;
    asid_eq = 1'b0;
    kill = 1'b0;
    dup = 1'b0;
    for (k = 0; k < ENTRIES; k = k + 1) begin
      mi = ~((52'd1 << e_shift[k]) - 52'd1);
      va_in = ((e_vpn[k] ^ iv_vpn) & mi) == 52'd0;
      asid_eq = e_asid[k] == iv_asid;
      case (iv_op)
        3'd0: kill = 1'b1;
        3'd1: kill = asid_eq;
        3'd2: kill = asid_eq && va_in;
        3'd3: kill = va_in;
        3'd4: kill = e_sid[k] == iv_sid;
        default: kill = 1'b1;
      endcase
      dup = e_sid[k] == fl_sid && e_ssv[k] == fl_ssv && (!fl_ssv || e_ssid[k] == fl_ssid) &&
          ((e_vpn[k] ^ fl_vpn) & mi) == 52'd0;
      drop[k] = (iv_valid && kill) || (fl_valid && dup);
    end
  end

  integer j;
  always @(posedge clk) begin
    if (!rst_n) begin
      for (j = 0; j < ENTRIES; j = j + 1) begin
        e_valid[j] <= 1'b0;
        e_sid[j]   <= 32'd0;
        e_ssid[j]  <= 20'd0;
        e_ssv[j]   <= 1'b0;
        e_asid[j]  <= 16'd0;
        e_vpn[j]   <= 52'd0;
        e_ppn[j]   <= 52'd0;
        e_shift[j] <= 5'd0;
        e_perm[j]  <= 2'd0;
      end
      rr <= {IDX_W{1'b0}};
      lk_done <= 1'b0;
      lk_hit <= 1'b0;
      lk_ppn <= 52'd0;
      lk_perm <= 2'd0;
    end else begin
      lk_done <= lk_valid;
      lk_hit  <= lk_valid && hit;
      lk_ppn  <= hit_ppn;
      lk_perm <= hit_perm;
      for (j = 0; j < ENTRIES; j = j + 1) if (drop[j]) e_valid[j] <= 1'b0;
      if (fl_valid) begin
        e_valid[rr] <= 1'b1;
        e_sid[rr]   <= fl_sid;
        e_ssid[rr]  <= fl_ssid;
        e_ssv[rr]   <= fl_ssv;
        e_asid[rr]  <= fl_asid_stored;
        e_vpn[rr]   <= fl_vpn & ~((52'd1 << fl_shift) - 52'd1);
        e_ppn[rr]   <= fl_ppn & ~((52'd1 << fl_shift) - 52'd1);
        e_shift[rr] <= fl_shift;
        e_perm[rr]  <= fl_perm;
        rr <= ({{(32 - IDX_W) {1'b0}}, rr} == ENTRIES - 1) ? {IDX_W{1'b0}} : rr + 1'b1;
      end
    end
  end
endmodule
