/**
 * The real LocalTarget with a test-chosen PATH: commands are looked up by name through PATH,
 * so a fake `az` (or no `az` at all) can stand in for the real one without touching process.env.
 */
import { LocalTarget } from '../../src/targets/local.js';
import type { RawExecResult, TargetExecOptions } from '../../src/engine/types.js';

export class PathTarget extends LocalTarget {
  constructor(private readonly path: string) {
    super({ name: 'local' });
  }

  override exec(argv: readonly string[], options: TargetExecOptions): Promise<RawExecResult> {
    return super.exec(argv, { ...options, env: { ...options.env, PATH: this.path } });
  }
}
