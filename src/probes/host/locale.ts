/**
 * Host tools translate their output (ufw, apt and fail2ban use gettext); the parsers read the
 * English text, so every host command runs with the C locale.
 */
export const C_LOCALE: Readonly<Record<string, string>> = { LC_ALL: 'C', LANG: 'C' };
