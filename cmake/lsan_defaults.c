/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Compiled into every SystemC program of the sanitizer build (SMMU_SANITIZE; smmu_tlm brings it),
   read by LeakSanitizer at start-up.

   use_stacks=0: libsystemc annotates its coroutine switches for AddressSanitizer
   (__sanitizer_start_switch_fiber). After a simulation the main thread's recorded stack can be
   a coroutine stack that SystemC has already released; the leak check at exit then scans it and
   its tracer dies on an unmapped page ("Tracer caught signal 11", seen on a 6.18 kernel in
   20-45 % of SystemC test runs). These programs return from main() (or sc_main) before the
   check, so no live object is held only by a stack then; and skipping stacks only removes
   roots: a leak is never hidden, at worst reported wrongly (a failure, not a silent pass).
   Programs without SystemC (the core's tests, the fuzz targets, which exit from inside their
   driver with live frames) keep the default. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void) { return "use_stacks=0"; }
