// shm-toctou: a request in shared memory, checked, then used, while its owner rewrites it.
//
// The claim: a length read twice from memory the other side can write — once to check it,
// once to use it — can be used with a value that was never checked (a double fetch, a
// time-of-check-to-time-of-use race). Copying the request once into private memory and then
// checking and using the copy makes the use always equal to what was checked.
//
// The story: a backend (Xen's blkback, a virtio device, an io_uring SQE, an ioctl argument)
// reads a request header from a page the guest or user space shares with it. It checks
// `len <= MAX`, does some other work, then copies `len` bytes into a MAX-byte buffer reading
// `req->len` again. A hostile guest flips `len` between a small value and a huge one in a loop;
// the second fetch can see the huge one. XSA-155 fixed exactly this in Xen's PV backends by
// reading the shared request once (READ_ONCE into a local copy) before validating it.
//
// Result (2026-11-24 21:56, x86_64 AMD EPYC, 2 CPUs, node 20.20.2, 2 s per variant, load
// average 3.9; requests per variant):
//   variant            refused   used as checked   used other (in bounds)   used over MAX
//   double-fetch     2,773,963         1,560,314                       25              44
//   copy-then-check  2,261,250         3,633,198                        0               0
// From run to run on this host the double fetch went wrong between ~70 and ~140,000 times
// in 1-2 s: the two loops fall into step (the guest's store lands outside the host's window)
// or out of it. copy-then-check was 0 in every run.
//
// No model verdict: the race is between two loads of the host and the guest's stores, any
// memory model allows it; no barrier removes it, only not loading twice does.

import { defineScenario, kthread_should_stop, READ_ONCE, WRITE_ONCE } from '../src/kernel/index.ts';

/** The host's buffer size: a longer request must be refused. */
const MAX_LEN = 64;
/** The lengths the guest cycles through: two that pass the check, one that must not. */
const GUEST_LENGTHS = [16, 48, 4096] as const;
/** Other header fields the host validates between its check of len and its use of it. */
const OTHER_FIELDS = 4;
/** Requests (or guest rewrites) between two heartbeats. */
const PROGRESS_EVERY = 4096;

type Variant = 'double-fetch' | 'copy-then-check';

export default defineScenario({
  name: 'shm-toctou',
  description: 'a shared-memory request checked then used: double fetch vs copy-then-check',
  refs: [
    'Xen Security Advisory XSA-155: paravirtualized drivers incautious about shared memory contents',
    'P. Wang et al., How Double-Fetch Situations turn into Double-Fetch Vulnerabilities (USENIX Security 2017)',
    'include/linux/compiler.h: READ_ONCE (one fetch the compiler cannot repeat)',
  ],
  kind: 'long-running',
  memory: { len: 'int', fields: { type: 'int', length: OTHER_FIELDS } },
  variants: {
    'double-fetch': 'check READ_ONCE(req->len), validate the rest, use READ_ONCE(req->len) again',
    'copy-then-check': 'copy the header once (READ_ONCE into locals), check and use the copy',
  },
  threads: {
    guest(cpu, m) {
      let n = 0;
      while (!kthread_should_stop()) {
        // Each length stays for about the same time: one store of len, one of another field.
        WRITE_ONCE(m.len, GUEST_LENGTHS[n % GUEST_LENGTHS.length]!);
        WRITE_ONCE(m.fields[n % OTHER_FIELDS]!, n & 0xff);
        if (++n % PROGRESS_EVERY === 0) cpu.progress(`rewrite ${n}`);
      }
    },
    host(cpu, m, variant: Variant) {
      let n = 0;
      while (!kthread_should_stop()) {
        cpu.count('requests');
        if (++n % PROGRESS_EVERY === 0) cpu.progress(`request ${n}`);
        const checked = READ_ONCE(m.len);
        if (checked > MAX_LEN) {
          cpu.observe('refused (len > MAX)');
          continue;
        }
        // The rest of the header: the host validates each field (the time between check and use).
        let flags = 0;
        for (let f = 0; f < OTHER_FIELDS; f++) flags |= READ_ONCE(m.fields[f]!);
        if (flags > 0xff) continue; // never: the guest writes bytes
        // memcpy(buf, req->data, len): the use. double-fetch reads req->len again here.
        const used = variant === 'double-fetch' ? READ_ONCE(m.len) : checked;
        if (used === checked) cpu.observe('used the length it checked');
        else if (used <= MAX_LEN) cpu.observe('used another length (in bounds)');
        else cpu.observe('used a length over MAX (overflow)');
      }
    },
  },
  outcomes: {
    'refused (len > MAX)': 'acceptable',
    'used the length it checked': 'acceptable',
    'used another length (in bounds)': {
      'double-fetch': 'interesting',
      'copy-then-check': 'forbidden',
    },
    'used a length over MAX (overflow)': {
      'double-fetch': 'interesting',
      'copy-then-check': 'forbidden',
    },
  },
  metrics: { requests: 'counter' },
  budget: { seconds: 2 },
  model: {
    description: 'the guest writes each of its three lengths once, against one request',
    iterations: { guest: 3, host: 1 },
  },
  notes: [
    'copy-then-check cannot show a difference by construction (it never loads len twice); the',
    'point is the pair: the same guest, the same host code, one fetch less.',
  ],
});
