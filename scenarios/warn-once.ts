// warn-once: several CPUs hit the same KVM_BUG_ON() at the same moment; how many warnings?
//
// The claim: a once-only action guarded by an atomic test-and-set (test_and_set_bit, xchg)
// runs exactly once however many CPUs arrive together; guarded by a plain check-then-set
// (`if (!done) { done = true; ... }`) it can run once per CPU that read the flag before the
// first one set it.
//
// The story: KVM_BUG_ON(cond, kvm) is WARN_ON_ONCE(cond && !kvm->vm_bugged) and then
// kvm_vm_bugged(), which marks the VM dead. When a bad state is shared (a corrupted root, a
// broken invariant in the MMU), every vCPU that faults trips over it at once. WARN_ON_ONCE's
// once-flag is a plain check-then-set: on x86 the BUGFLAG_DONE bit of the bug-table entry,
// tested and then set in report_bug() ("Since this is the only store, concurrency is not an
// issue"), elsewhere DO_ONCE_LITE's `static bool __already_done`. The kernel accepts that two
// CPUs can both print: a duplicate splat is harmless. A once-only action that must not repeat
// (freeing something, sending one report) needs the test-and-set.
//
// Each race: every vCPU hits the bug once; the arbiter counts the warnings printed.
//
// Result (2026-11-24 21:55, x86_64 AMD EPYC, 2 CPUs, node 20.20.2, 2 s per variant, 3 vCPU
// threads on 2 CPUs, load average 3.6; races per variant):
//   variant          exactly one warning   more than one warning   no warning
//   check-then-set               217,171                     237            0
//   test-and-set                 261,888                       0            0
// The duplicate rate depends on how often the vCPUs really run at the same instant: between
// 7 (load average 13.6) and 17,468 (of 247,168 races) in other runs on this host.
//
// Model: no barrier can fix check-then-set. Even sequential consistency allows both CPUs to
// load the flag (0) before either stores it; only a read-modify-write (xchg, test_and_set_bit)
// makes the load and the store one indivisible step.

import {
  atomic_inc,
  atomic_read,
  defineScenario,
  READ_ONCE,
  test_and_set_bit,
  WRITE_ONCE,
} from '../src/kernel/index.ts';

/** vCPUs that hit the bug together. */
const VCPUS = 3;
/** The bit of `warned` that test_and_set_bit uses. */
const WARNED_BIT = 0;

type Variant = 'check-then-set' | 'test-and-set';

export default defineScenario({
  name: 'warn-once',
  description:
    'KVM_BUG_ON on several vCPUs at once: one warning with test-and-set, maybe more without',
  refs: [
    'include/linux/kvm_host.h: KVM_BUG_ON, kvm_vm_bugged',
    'lib/bug.c: report_bug() (BUGFLAG_DONE, set with a plain store)',
    'include/linux/once_lite.h: DO_ONCE_LITE_IF (the plain __already_done flag)',
    'include/asm-generic/bitops/atomic.h: test_and_set_bit',
  ],
  kind: 'iterations',
  memory: { warned: 'int', warnings: 'atomic_t', vm_bugged: 'int' },
  variants: {
    'check-then-set': 'WARN_ON_ONCE as the kernel has it: read the flag, then set it (plain)',
    'test-and-set': 'test_and_set_bit on the flag: only the CPU that set it warns',
  },
  threads: {
    vcpu: {
      count: VCPUS,
      run(cpu, m, variant: Variant) {
        cpu.count('bug hits');
        // KVM_BUG_ON(cond, kvm), cond true: WARN_ON_ONCE(!kvm->vm_bugged), then kvm_vm_bugged().
        if (READ_ONCE(m.vm_bugged) !== 0) return;
        if (variant === 'test-and-set') {
          if (test_and_set_bit(WARNED_BIT, m.warned)) return;
        } else {
          if (READ_ONCE(m.warned) !== 0) return;
          WRITE_ONCE(m.warned, 1);
        }
        atomic_inc(m.warnings); // the WARN splat on the console
        WRITE_ONCE(m.vm_bugged, 1); // kvm_vm_bugged(): the VM is dead from here on
      },
    },
  },
  arbiter(m, _r, _variant, cpu) {
    const n = atomic_read(m.warnings);
    cpu.count('warnings', n);
    if (n === 1) return 'exactly one warning';
    return n === 0 ? 'no warning' : 'more than one warning';
  },
  outcomes: {
    'exactly one warning': 'acceptable',
    'more than one warning': { 'check-then-set': 'interesting', 'test-and-set': 'forbidden' },
    'no warning': 'forbidden',
  },
  metrics: { 'bug hits': 'counter', warnings: 'counter' },
  budget: { seconds: 2, batch: 64 },
  model: { description: 'three vCPUs hitting the bug once each' },
});
