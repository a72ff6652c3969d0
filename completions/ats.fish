function __ats_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __ats_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __ats_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __ats_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __ats_parse_tokens -S
    set -l unparsed_tokens (__ats_tokens -pc)
    switch $unparsed_tokens[1]
    case 'ats'
        __ats_parse_subcommand 0 'url=' 'user=' 'password-env=' 'profile=' 'sim' 'insecure' 'cacert=' 'timeout=' 'output=' 'trace' 'record=' 'dry-run' 'no-color' 'quiet' 'c=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'run'
            __ats_parse_subcommand -r 1 'version' 'h/help'
        case 'check'
            __ats_parse_subcommand -r 1 'version' 'h/help'
        case 'fmt'
            __ats_parse_subcommand -r 1 'write' 'version' 'h/help'
        case 'sim'
            __ats_parse_subcommand 0 'port=' 'host=' 'seed=' 'tasks=' 'speed=' 'quirks=' 'faults=' 'tls-cert=' 'tls-key=' 'replay=' 'version' 'h/help'
        case 'diff'
            __ats_parse_subcommand 2 'a/all' 'i/ignore=+' 'json' 'no-color' 'version' 'h/help'
        case 'lsp'
            __ats_parse_subcommand 0 'stdio' 'version' 'h/help'
        case 'help'
            __ats_parse_subcommand -r 1 'version'
        end
    end
end

function __ats_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __ats_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __ats_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __ats_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__ats_tokens -p)
    if test -z "$(__ats_tokens -t)"
        set -l index (count (__ats_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'ats' -f
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" url' -l 'url' -d 'the server to connect to before running (also ATS_URL)' -rfka ''
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" user' -l 'user' -d 'the user (also ATS_USER)' -rfka ''
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" password-env' -l 'password-env' -d 'read the password from the environment variable VAR (default: ATS_PASSWORD)' -rfka ''
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" profile' -l 'profile' -d 'connect with a profile of the config file (also ATS_PROFILE)' -rfka '(__ats_custom_completion ---completion -- --profile (count (__ats_tokens -pc)) (__ats_tokens -tC))'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" sim' -l 'sim' -d 'connect to the built-in simulator before running (user system)'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" insecure' -l 'insecure' -d 'do not verify the server\'s TLS certificate'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" cacert' -l 'cacert' -d 'trust the CA certificates in FILE (PEM)' -rF
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" timeout' -l 'timeout' -d 'time limit of each request (500ms, 30s, 2m)' -rfka ''
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" output' -l 'output' -d 'print every result in FORMAT' -rfka 'pretty table json jsonl csv raw'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" trace' -l 'trace' -d 'print every HTTP exchange to standard error, like curl -v (secrets masked)'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" record' -l 'record' -d 'append every exchange to a case file' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'jsonl\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" dry-run' -l 'dry-run' -d 'print state-changing requests and their curl equivalent instead of sending them'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" no-color' -l 'no-color' -d 'no colours (also NO_COLOR)'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" quiet' -l 'quiet' -d 'do not print the values of statements; echo, print and errors still print'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" c' -s 'c' -d 'run STATEMENTS; the words after them are the script\'s arguments' -rfka ''
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" version' -l 'version' -d 'Show the version.'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ats' -n '__ats_should_offer_completions_for_positional "ats" -eq 1' -fa 'run' -d 'Run a script (also: ats FILE.ats); with no file, the REPL.'
complete -c 'ats' -n '__ats_should_offer_completions_for_positional "ats" -eq 1' -fa 'check' -d 'Parse and check scripts without running them: every error with its location; exit 2 if any.'
complete -c 'ats' -n '__ats_should_offer_completions_for_positional "ats" -eq 1' -fa 'fmt' -d 'Print (or rewrite) scripts in the canonical formatting.'
complete -c 'ats' -n '__ats_should_offer_completions_for_positional "ats" -eq 1' -fa 'sim' -d 'Run the simulator (or a replay of a case file) as an HTTP server until SIGINT or SIGTERM.'
complete -c 'ats' -n '__ats_should_offer_completions_for_positional "ats" -eq 1' -fa 'diff' -d 'Compare two case files request by request and report differences in status, headers and bodies.'
complete -c 'ats' -n '__ats_should_offer_completions_for_positional "ats" -eq 1' -fa 'lsp' -d 'a Language Server Protocol server on stdio, for editors'
complete -c 'ats' -n '__ats_should_offer_completions_for_positional "ats" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'ats' -n '__ats_should_offer_completions_for_positional "ats run" -ge 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'ats\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats run" version' -l 'version' -d 'Show the version.'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ats' -n '__ats_should_offer_completions_for_positional "ats check" -ge 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'ats\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats check" version' -l 'version' -d 'Show the version.'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats fmt" write' -l 'write' -d 'rewrite each file in place instead of printing it'
complete -c 'ats' -n '__ats_should_offer_completions_for_positional "ats fmt" -ge 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'ats\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats fmt" version' -l 'version' -d 'Show the version.'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats fmt" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats sim" port' -l 'port' -d 'port to listen on (default: 22015); 0 for any free port' -rfka ''
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats sim" host' -l 'host' -d 'address to bind' -rfka ''
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats sim" seed' -l 'seed' -d 'seed of the generated data' -rfka ''
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats sim" tasks' -l 'tasks' -d 'total number of tasks (adds finished bulk tasks; e.g. 100000)' -rfka ''
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats sim" speed' -l 'speed' -d 'run task steps X times faster (default: 1)' -rfka ''
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats sim" quirks' -l 'quirks' -d 'manual quirks to reproduce, comma-separated, or all' -rfka 'instanceId affectedResources affectedResourceString leadingSpaceHref nullParameters rerunStartName userInstanceId missingPort status201 templateAsResult all'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats sim" faults' -l 'faults' -d 'faults to inject, comma-separated (see below)' -rfka ''
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats sim" tls-cert' -l 'tls-cert' -d 'serve HTTPS with this PEM certificate (needs --tls-key)' -rF
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats sim" tls-key' -l 'tls-key' -d 'PEM private key for --tls-cert' -rF
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats sim" replay' -l 'replay' -d 'serve a recorded case file instead of the simulator' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'jsonl\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats sim" version' -l 'version' -d 'Show the version.'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats sim" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ats' -n '__ats_should_offer_completions_for_positional "ats diff" -eq 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'jsonl\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ats' -n '__ats_should_offer_completions_for_positional "ats diff" -eq 2' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'jsonl\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats diff" a all' -s 'a' -l 'all' -d 'compare everything: ids, dates, UUIDs, tokens, Date headers'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats diff"' -s 'i' -l 'ignore' -d 'also ignore this member name or header (repeatable, or a,b,c)' -rfka ''
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats diff" json' -l 'json' -d 'a machine-readable report'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats diff" no-color no-colour' -l 'no-color' -l 'no-colour' -d 'no colours (also NO_COLOR); colours only on a terminal'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats diff" version' -l 'version' -d 'Show the version.'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats diff" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats lsp" stdio' -l 'stdio' -d 'talk on standard input and output (the default and only transport)'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats lsp" version' -l 'version' -d 'Show the version.'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats lsp" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ats' -n '__ats_should_offer_completions_for_flags_or_options "ats help" version' -l 'version' -d 'Show the version.'
