// Where the lab keeps its things, found from this file rather than from the current directory,
// so `smplab` works from anywhere.

import { join, sep } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.ts';

export const REPO_ROOT = PACKAGE_ROOT;
export const LITMUS_DIR = join(PACKAGE_ROOT, 'scenarios', 'litmus');
/** Installed from npm (inside node_modules), results go to the current folder, not the package's. */
const INSTALLED = PACKAGE_ROOT.includes(`${sep}node_modules${sep}`);
/** Where runs write their JSON records; SMPLAB_RESULTS_DIR moves it (the tests use a temporary one). */
export const RESULTS_DIR =
  process.env.SMPLAB_RESULTS_DIR ?? join(INSTALLED ? process.cwd() : REPO_ROOT, 'results');
/** The kernel's litmus tests, beside the repository in a developer's checkout only. */
export const KERNEL_LITMUS_DIR = join(REPO_ROOT, '..', 'shared', 'lkmm', 'litmus-tests');
