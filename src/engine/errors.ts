/**
 * The tool's own errors: each has an exit code and a one-line message with a remedy.
 * The CLI prints `predeploy: <message>` for these and exits with `exitCode`; anything else
 * is a bug and is re-thrown (knip/changesets habit).
 */
export const EXIT = { done: 0, gateFailed: 1, badInput: 2, interrupted: 3 } as const;

export class PredeployError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad command-line usage, run id, root or output folder. Exit 2. */
export class UsageError extends PredeployError {
  constructor(message: string) {
    super(message, EXIT.badInput);
  }
}

/** A bad predeploy.yaml (or other input file); message starts with `file:line:col:`. Exit 2. */
export class ConfigError extends PredeployError {
  constructor(message: string) {
    super(message, EXIT.badInput);
  }
}

/** The run folder already exists: refused, nothing touched. Exit 2. */
export class RunFolderExistsError extends PredeployError {
  constructor(path: string) {
    super(`run folder ${path} already exists; choose another --run-id (nothing was changed)`, EXIT.badInput);
  }
}

/**
 * The run folder cannot be written: a read-only or full file system, a quota, permissions.
 * One line naming the path and the cause as the system words it. Exit 2.
 */
export class ResourceError extends PredeployError {
  constructor(
    readonly path: string,
    /** the system's words: `read-only file system`, `no space left on device` */
    readonly problem: string,
  ) {
    super(`cannot write ${path}: ${problem}`, EXIT.badInput);
  }
}
