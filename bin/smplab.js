#!/usr/bin/env node
// The installed `smplab` command: run the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
