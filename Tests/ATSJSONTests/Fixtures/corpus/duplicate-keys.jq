{
  "dup": 3,
  "other": 2
}
