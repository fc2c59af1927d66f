// Where the lab keeps its things, found from this file rather than from the current directory,
// so `smplab` works from anywhere.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCENARIO_DIR } from '../runtime/scenario/load.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const LITMUS_DIR = join(SCENARIO_DIR, 'litmus');
/** Where runs write their JSON records; SMPLAB_RESULTS_DIR moves it (the tests use a temporary one). */
export const RESULTS_DIR = process.env.SMPLAB_RESULTS_DIR ?? join(REPO_ROOT, 'results');
/** The kernel's litmus tests, beside the repository in a developer's checkout only. */
export const KERNEL_LITMUS_DIR = join(REPO_ROOT, '..', 'shared', 'lkmm', 'litmus-tests');
