// Where a cat model's files come from: `--cat`, `--bell`, `--macros`, or a herd7 configuration
// file (`--conf linux-kernel.cfg`) read as herd7 reads one (`key value` lines, `#` comments:
// model, bell, macros, variant, include, skipchecks; herd7's display options are accepted and
// have no effect here); how `include "x.cat"` finds its file (the including file's folder, the
// include folders, then herd7's library shipped in cat/); and each file parsed once.
//
// This module reads files; it does not run them (model.ts does).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { didYouMean, UserError } from '../../errors.ts';
import { PACKAGE_ROOT } from '../../package-root.ts';
import type { CatFile, CatPos } from './ast.ts';
import { catError, rememberText } from './errors.ts';
import { parseCat } from './parse.ts';

/** herd7's library of cat files, shipped with smplab (cat/README.md). */
export const CAT_LIBRARY = join(PACKAGE_ROOT, 'cat');

/** The largest cat, bell or cfg file read, in bytes. */
export const MAX_CAT_FILE_BYTES = 1 << 20;

/** What a cat model is made of: absolute paths, variants, checks to skip. */
export interface CatSpec {
  cat: string;
  bell?: string;
  macros?: string;
  variants: string[];
  /** Folders searched for included files after the including file's own. */
  includes: string[];
  skip: string[];
}

/** The command line's view of a model read from files. */
export interface CatRequest {
  cat?: string;
  bell?: string;
  macros?: string;
  conf?: string;
  variants?: string[];
  includes?: string[];
  skip?: string[];
}

/** herd7's configuration keys that choose the model; the others only change its pictures. */
const MODEL_KEYS = ['model', 'cat', 'bell', 'macros', 'variant', 'include', 'skipchecks', 'conf'];
const DISPLAY_KEYS = new Set([
  'graph',
  'squished',
  'showevents',
  'movelabel',
  'fontsize',
  'xscale',
  'yscale',
  'arrowsize',
  'showinitrf',
  'showfinalrf',
  'showinitwrites',
  'splines',
  'pad',
  'edgeattr',
  'mono',
  'fontname',
  'edgefontsizedelta',
  'penwidth',
  'overlap',
  'sep',
  'margin',
  'scale',
  'dsiy',
  'siwidth',
  'boxscale',
  'ptscale',
  'showpo',
  'relabel',
  'withbox',
  'labelbox',
  'finalrfpos',
  'initrfpos',
  'oneinit',
  'labelinit',
  'initpos',
  'threadposy',
  'showthread',
  'showlegend',
  'brackets',
  'showobserved',
  'fixedsize',
  'extrachars',
  'dotheader',
  'doshow',
  'unshow',
  'noid',
  'symetric',
  'classes',
  'showraw',
  'shift',
  'edgemerge',
  'show',
  'showflag',
  'nshow',
  'showkind',
  'shortlegend',
  'texmacros',
  'hexa',
  'outcomereads',
  'dotmode',
  'dotcom',
  'view',
  'verbose',
  'suffix',
  'timeout',
  'debug',
  'speedcheck',
  'badexecs',
  'badflag',
  'unroll',
]);

/** The model the request names: its cfg read, paths made absolute, the cat file required. */
export function resolveSpec(req: CatRequest, cwd = process.cwd()): CatSpec {
  const fromConf = req.conf ? readConf(resolve(cwd, req.conf)) : {};
  const abs = (p: string | undefined) => p && resolve(cwd, p);
  const cat = abs(req.cat) ?? fromConf.cat;
  if (!cat)
    throw new UserError('a model read from files needs --cat FILE (or --conf FILE naming one)');
  const spec: CatSpec = {
    cat: checkFile(cat, 'cat'),
    variants: [...(fromConf.variants ?? []), ...(req.variants ?? [])],
    includes: [...(fromConf.includes ?? []), ...(req.includes ?? []).map((d) => resolve(cwd, d))],
    skip: [...(fromConf.skip ?? []), ...(req.skip ?? [])],
  };
  const bell = abs(req.bell) ?? fromConf.bell;
  const macros = abs(req.macros) ?? fromConf.macros;
  if (bell) spec.bell = checkFile(bell, 'bell');
  if (macros) spec.macros = checkFile(macros, 'macros');
  return spec;
}

function checkFile(path: string, what: string): string {
  if (!existsSync(path) || !statSync(path).isFile())
    throw new UserError(`${path}: no such ${what} file`);
  return path;
}

/** A herd7 .cfg: the model's files (relative to the cfg's folder, else the library) and options. */
export function readConf(file: string): Partial<CatSpec> {
  const text = readText(file);
  const dir = dirname(file);
  const out: Partial<CatSpec> & { variants: string[]; includes: string[]; skip: string[] } = {
    variants: [],
    includes: [],
    skip: [],
  };
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (/^\s*(#|$)/.test(line)) return;
    const m = /^([A-Za-z]+)(?:\s*=\s*|\s+)(\S.*?)\s*$/.exec(line);
    const at = { line: i + 1, col: 1 };
    if (!m) throw new UserError('expected `key value` (herd7 configuration)', file, at, line);
    const [, key, arg] = m as unknown as [string, string, string];
    // A file the line names and that is not there: the mistake is at that line.
    const find = (name: string) => {
      try {
        return findFile(name, [dir, ...out.includes]);
      } catch (e) {
        if (!(e instanceof UserError) || e.file !== undefined) throw e;
        throw new UserError(e.message, file, { line: i + 1, col: line.indexOf(arg) + 1 }, line);
      }
    };
    if (DISPLAY_KEYS.has(key)) return;
    switch (key) {
      case 'model':
      case 'cat':
        out.cat = find(arg);
        break;
      case 'bell':
        out.bell = find(arg);
        break;
      case 'macros':
        out.macros = find(arg);
        break;
      case 'variant':
        out.variants.push(...arg.split(',').map((v) => v.trim()));
        break;
      case 'include':
        out.includes.push(resolve(dir, arg));
        break;
      case 'skipchecks':
        out.skip.push(...arg.split(',').map((v) => v.trim()));
        break;
      case 'conf': {
        const inner = readConf(find(arg));
        Object.assign(out, { ...inner, variants: [...out.variants, ...(inner.variants ?? [])] });
        break;
      }
      default:
        throw new UserError(
          `${key}: not a herd7 configuration key smplab knows${didYouMean(key, [...MODEL_KEYS, ...DISPLAY_KEYS])}`,
          file,
          at,
          line,
        );
    }
  });
  return out;
}

/** A file named in a cfg or an include: in one of `dirs`, else herd7's library; absolute as is. */
export function findFile(name: string, dirs: string[]): string {
  if (isAbsolute(name)) return name;
  for (const d of [...dirs, CAT_LIBRARY]) {
    const p = join(d, name);
    if (existsSync(p)) return p;
  }
  throw new UserError(`${name}: not found in ${[...dirs, CAT_LIBRARY].join(', ')}`);
}

const parsed = new Map<string, { mtimeMs: number; file: CatFile }>();

/** A cat or bell file, parsed once (again if it changed). */
export function loadCatFile(path: string): CatFile {
  const mtimeMs = statSync(path).mtimeMs;
  const known = parsed.get(path);
  if (known && known.mtimeMs === mtimeMs) return known.file;
  const file = parseCat(path, readText(path));
  parsed.set(path, { mtimeMs, file });
  return file;
}

/** The file `include "name"` means from a file at `from`. */
export function includeFile(name: string, from: CatPos, includes: string[]): CatFile {
  try {
    return loadCatFile(findFile(name, [dirname(from.file), ...includes]));
  } catch (err) {
    if (err instanceof UserError && err.file === undefined) throw catError(err.message, from);
    throw err;
  }
}

export function readText(path: string): string {
  const size = statSync(path).size;
  if (size > MAX_CAT_FILE_BYTES)
    throw new UserError(
      `${path}: ${size.toLocaleString('en-US')} bytes, larger than the ${MAX_CAT_FILE_BYTES.toLocaleString('en-US')} a model file may be`,
    );
  const text = readFileSync(path, 'utf8');
  rememberText(path, text);
  return text;
}
