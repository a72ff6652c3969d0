[
  "",
  "plain",
  "quote \" backslash \\ slash / ",
  "\b\f\n\r\t",
  "\u0000\u0001\u001f\u007f",
  "é ü ß",
  "日本語のタスク名",
  "日本",
  "😀 emoji 😀",
  "  ",
  "tab\there",
  "<>&'",
  "a\u0000b",
  "é",
  "ＡＢＣ"
]
