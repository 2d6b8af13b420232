/**
 * Characters kubectl's YAML reader refuses in a document (DEL, C0 controls but tab and line breaks, C1 controls,
 * U+FFFE, U+FFFF) or reads as a line break (NEL U+0085, U+2028, U+2029, which silently change the value), and
 * lone surrogates, which no UTF-8 file can hold.
 */
export const unsafeCharacterSource =
  '[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u2028\\u2029\\ufffe\\uffff]|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
