// The declaration in include/CFuzzDriver.h is implemented by libFuzzer (-sanitize=fuzzer).
#include "CFuzzDriver.h"
