// The explorer's default loop bound, alone: the CLI's flag table shows it in --help and uses it
// as --loop-bound's default, and importing explore.ts for it would load the explorer (and the
// model's enumeration) into every command.

/** Passes through wait and retry loops each thread may make in one execution (--loop-bound). */
export const DEFAULT_LOOP_BOUND = 3;
