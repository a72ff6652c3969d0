#ifndef ATS_CLIBEDIT_SHIM_H
#define ATS_CLIBEDIT_SHIM_H
#include <stdio.h>
#include <editline/readline.h>
#endif
