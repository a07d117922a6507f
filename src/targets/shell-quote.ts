/**
 * POSIX shell quoting for the one command line ssh sends. ssh joins its arguments with spaces
 * and the remote sshd hands that string to the user's login shell (`$SHELL -c "<line>"`), so
 * every argument must come out of that shell exactly as the policy allowed it.
 *
 * Each argument is wrapped in single quotes, inside which a POSIX shell treats every character
 * literally (POSIX.1-2017 XCU 2.2.2 "Single-Quotes"); a `'` in the argument closes the quote,
 * adds an escaped `\'` and reopens it. The empty argument becomes `''`. No character is ever
 * left to the shell's expansion: no `$`, backtick, glob, `~`, `;` or newline is special.
 */

/** One argument, quoted for a POSIX shell. */
export function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** An argv as one POSIX shell command line that the remote shell splits back into exactly that argv. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
