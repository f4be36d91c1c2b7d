/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Linked into every executable of the sanitizer build (SMMU_SANITIZE), read by LeakSanitizer at
   start-up.

   use_stacks=0: libsystemc annotates its coroutine switches for AddressSanitizer
   (__sanitizer_start_switch_fiber). After a simulation the main thread's recorded stack can be
   a coroutine stack that SystemC has already released; the leak check at exit then scans it and
   its tracer dies on an unmapped page ("Tracer caught signal 11", seen on 6.x kernels in 20-45 %
   of SystemC test runs). The check runs after main() has returned, when no live object is held
   only by a stack, and skipping stacks only removes roots: a leak is never hidden, at worst an
   object would be reported that a stack still referenced. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void) { return "use_stacks=0"; }
