// The declaration in include/CFuzzDriver.h is implemented by libFuzzer: scripts/fuzz links
// libclang_rt.fuzzer_no_main (libFuzzer without its `main`).
#include "CFuzzDriver.h"
