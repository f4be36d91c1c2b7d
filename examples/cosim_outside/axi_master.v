// SPDX-License-Identifier: Apache-2.0 OR MIT
// A tiny AXI4 master, standing for "your RTL" in the out-of-tree co-simulation example: after
// `start` it makes PASSES passes; pass p writes one INCR burst of BEATS 64-bit beats to
// base + p * 4 KiB, waits for B, reads the burst back and compares. `errors` counts non-OKAY
// responses, responses with the wrong ID and read beats that differ from what was written; `done` rises at the end.
// Its ports are prefixed (m_axi_), its address is 32 bits, its IDs 2 bits, and it has AxCACHE /
// AxQOS but no AxPROT and no AxUSER: smmu_cosim::axi_link converts, leaves open and ties off.
module axi_master #(
    parameter BEATS = 8,
    parameter PASSES = 4
) (
    input wire aclk,
    input wire aresetn,
    input wire start,
    input wire [31:0] base,
    output reg done,
    output reg [7:0] errors,

    output reg m_axi_awvalid,
    input wire m_axi_awready,
    output wire [1:0] m_axi_awid,
    output reg [31:0] m_axi_awaddr,
    output wire [7:0] m_axi_awlen,
    output wire [2:0] m_axi_awsize,
    output wire [1:0] m_axi_awburst,
    output wire [3:0] m_axi_awcache,
    output wire [3:0] m_axi_awqos,
    output reg m_axi_wvalid,
    input wire m_axi_wready,
    output wire [63:0] m_axi_wdata,
    output wire [7:0] m_axi_wstrb,
    output wire m_axi_wlast,
    input wire m_axi_bvalid,
    output wire m_axi_bready,
    input wire [1:0] m_axi_bid,
    input wire [1:0] m_axi_bresp,
    output reg m_axi_arvalid,
    input wire m_axi_arready,
    output wire [1:0] m_axi_arid,
    output reg [31:0] m_axi_araddr,
    output wire [7:0] m_axi_arlen,
    output wire [2:0] m_axi_arsize,
    output wire [1:0] m_axi_arburst,
    output wire [3:0] m_axi_arcache,
    output wire [3:0] m_axi_arqos,
    input wire m_axi_rvalid,
    output wire m_axi_rready,
    input wire [1:0] m_axi_rid,
    input wire [63:0] m_axi_rdata,
    input wire [1:0] m_axi_rresp,
    input wire m_axi_rlast
);
    localparam IDLE = 3'd0, AW = 3'd1, W = 3'd2, B = 3'd3, AR = 3'd4, R = 3'd5, DONE = 3'd6;
    reg [2:0] state;
    reg [7:0] pass, beat;

    // beat b of pass p
    function [63:0] pattern(input [7:0] p, input [7:0] b);
        pattern = {32'hC0DE0000 | {16'd0, p, b}, base ^ {p, b, p, b}};
    endfunction

    assign m_axi_awid = 2'd1;
    assign m_axi_awlen = BEATS - 1;
    assign m_axi_awsize = 3'd3;   // 8 bytes
    assign m_axi_awburst = 2'd1;  // INCR
    assign m_axi_awcache = 4'b0011;
    assign m_axi_awqos = 4'd0;
    assign m_axi_wdata = pattern(pass, beat);
    assign m_axi_wstrb = 8'hFF;
    assign m_axi_wlast = beat == BEATS - 1;
    assign m_axi_bready = 1'b1;
    assign m_axi_arid = 2'd2;
    assign m_axi_arlen = BEATS - 1;
    assign m_axi_arsize = 3'd3;
    assign m_axi_arburst = 2'd1;
    assign m_axi_arcache = 4'b0011;
    assign m_axi_arqos = 4'd0;
    assign m_axi_rready = 1'b1;

    always @(posedge aclk) begin
        if (!aresetn) begin
            state <= IDLE;
            pass <= 0;
            beat <= 0;
            done <= 0;
            errors <= 0;
            m_axi_awvalid <= 0;
            m_axi_awaddr <= 0;
            m_axi_wvalid <= 0;
            m_axi_arvalid <= 0;
            m_axi_araddr <= 0;
        end else begin
            case (state)
                IDLE:
                if (start) begin
                    m_axi_awvalid <= 1;
                    m_axi_awaddr <= base + {12'd0, pass, 12'd0};
                    state <= AW;
                end
                AW:
                if (m_axi_awready) begin
                    m_axi_awvalid <= 0;
                    m_axi_wvalid <= 1;
                    beat <= 0;
                    state <= W;
                end
                W:
                if (m_axi_wready) begin
                    if (m_axi_wlast) begin
                        m_axi_wvalid <= 0;
                        state <= B;
                    end else beat <= beat + 1;
                end
                B:
                if (m_axi_bvalid) begin
                    if (m_axi_bresp != 2'd0 || m_axi_bid != 2'd1) errors <= errors + 1;
                    m_axi_arvalid <= 1;
                    m_axi_araddr <= m_axi_awaddr;
                    beat <= 0;
                    state <= AR;
                end
                AR: if (m_axi_arready) begin
                    m_axi_arvalid <= 0;
                    state <= R;
                end
                R:
                if (m_axi_rvalid) begin
                    if (m_axi_rresp != 2'd0 || m_axi_rid != 2'd2 || m_axi_rdata != pattern(pass, beat))
                        errors <= errors + 1;
                    beat <= beat + 1;
                    if (m_axi_rlast) begin
                        beat <= 0;
                        pass <= pass + 1;
                        if (pass == PASSES - 1) state <= DONE;
                        else begin
                            m_axi_awvalid <= 1;
                            m_axi_awaddr <= base + {12'd0, pass + 8'd1, 12'd0};
                            state <= AW;
                        end
                    end
                end
                DONE: done <= 1;
                default: state <= IDLE;
            endcase
        end
    end
endmodule
