/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Snippet context (testbench/docs/check_snippets.py): the file and the transaction that the
   writing part of the traces/README.md snippet uses. Declarations only. */
#ifndef SMMU_DOCS_CONTEXT_TRACE_WRITER_H
#define SMMU_DOCS_CONTEXT_TRACE_WRITER_H

#include <stdio.h>

#include <smmu/trace.h>

extern FILE *f;               /* an open output file */
extern smmu_trace_txn_t txn;  /* a transaction to write */

#endif
