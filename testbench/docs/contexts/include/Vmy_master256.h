// SPDX-License-Identifier: Apache-2.0 OR MIT
// Stand-in for the header Verilator generates for a user's AXI4 master with a 256-bit data bus
// (docs/cosim.md, "Data widths"): WDATA / RDATA sc_bv<256>, WSTRB (32 bits) uint32_t, the other
// ports as in Vmy_master.h. Used only to compile that snippet.
#ifndef SMMU_DOCS_STANDIN_VMY_MASTER256_H
#define SMMU_DOCS_STANDIN_VMY_MASTER256_H

#include "Vmy_master.h"

using Vmy_master256 = Vmy_master_t<sc_dt::sc_bv<256>>;

#endif
