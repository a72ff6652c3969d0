# fish completion for ats. Install: copy to ~/.config/fish/completions/ats.fish
function __ats_profiles
    set -l config (set -q XDG_CONFIG_HOME; and echo $XDG_CONFIG_HOME; or echo $HOME/.config)/ats/config.toml
    test -r $config; and sed -n 's/^\[profiles\.\([^]]*\)\].*/\1/p' $config
end

complete -c ats -n '__fish_use_subcommand' -a 'run check fmt sim diff' -d 'subcommand'
complete -c ats -n '__fish_use_subcommand' -k -a '(__fish_complete_suffix .ats)'
complete -c ats -l url -r -d 'server URL'
complete -c ats -l user -r -d 'user name'
complete -c ats -l password-env -r -d 'read the password from this variable'
complete -c ats -l profile -x -a '(__ats_profiles)' -d 'profile'
complete -c ats -l sim -d 'connect to the built-in simulator'
complete -c ats -l insecure -d 'do not verify TLS certificates'
complete -c ats -l cacert -r -F -d 'CA certificates'
complete -c ats -l timeout -r -d 'time limit of each request'
complete -c ats -l output -x -a 'pretty table json jsonl csv raw' -d 'output format'
complete -c ats -l trace -d 'print every HTTP exchange'
complete -c ats -l record -r -F -d 'record a case file'
complete -c ats -l dry-run -d 'print state-changing requests instead of sending them'
complete -c ats -l no-color -d 'no colours'
complete -c ats -l quiet -d 'print no statement results'
complete -c ats -l write -d 'fmt: rewrite the files'
complete -c ats -l version -d 'print the version'
complete -c ats -l help -d 'print the usage'
complete -c ats -s c -r -d 'run these statements'
complete -c ats -n '__fish_seen_subcommand_from sim' -l port -r -d 'port (0: any free port)'
complete -c ats -n '__fish_seen_subcommand_from sim' -l seed -r -d 'random seed'
complete -c ats -n '__fish_seen_subcommand_from sim' -l tasks -r -d 'number of seeded tasks'
complete -c ats -n '__fish_seen_subcommand_from sim' -l replay -r -F -d 'serve a recorded case file'
