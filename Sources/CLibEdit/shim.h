#ifndef ATS_CLIBEDIT_SHIM_H
#define ATS_CLIBEDIT_SHIM_H
#include <stdio.h>
#include <stdlib.h>
#include <editline/readline.h>

// Small accessors for libedit's readline-compatible globals. Swift 6 treats imported mutable
// C globals as shared mutable state and cannot call the variadic functions, so ATSREPL reads
// and sets them only through these functions, always from the thread that runs readline().

/// The line being edited (valid inside a completion callback).
static inline const char *ats_rl_line_buffer(void) { return rl_line_buffer; }
/// The cursor's byte offset in the line being edited.
static inline int ats_rl_point(void) { return rl_point; }
/// Installs the completion callback (NULL restores libedit's filename completion).
static inline void ats_rl_set_completion(rl_completion_func_t *function) {
    rl_attempted_completion_function = function;
}
/// The character appended after a unique match ('\0' for none).
static inline void ats_rl_set_append_character(int c) { rl_completion_append_character = c; }
/// Characters that separate the words libedit hands to the completion callback.
static inline void ats_rl_set_word_break_characters(const char *characters) {
    rl_basic_word_break_characters = characters;
    rl_completer_word_break_characters = (char *)characters;
}
/// Marks the completion as final: libedit does not fall back to filename completion.
static inline void ats_rl_set_attempted_completion_over(int over) { rl_attempted_completion_over = over; }
/// The application name used by libedit's init files ("ats").
static inline void ats_rl_set_readline_name(const char *name) { rl_readline_name = name; }
/// The number of matches above which libedit asks before listing them.
static inline void ats_rl_set_completion_query_items(int n) { rl_completion_query_items = n; }
/// Sends prompts and editing to standard error (when standard output is not a terminal);
/// call before `rl_initialize`.
static inline void ats_rl_use_stderr_for_output(void) { rl_outstream = stderr; }

#endif
