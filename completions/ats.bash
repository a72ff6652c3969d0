# bash completion for ats. Install: source this file, or copy it to
# /usr/share/bash-completion/completions/ats (or ~/.local/share/bash-completion/completions/ats).
_ats() {
    local cur prev
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    local options="--url --user --password-env --profile --sim --insecure --cacert --timeout --output --trace --record --dry-run --no-color --quiet --version --help -c"
    case "$prev" in
        --output) COMPREPLY=($(compgen -W "pretty table json jsonl csv raw" -- "$cur")); return ;;
        --cacert|--record) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --password-env) COMPREPLY=($(compgen -v -- "$cur")); return ;;
        --profile)
            local config="${XDG_CONFIG_HOME:-$HOME/.config}/ats/config.toml"
            local names=""
            [ -r "$config" ] && names=$(sed -n 's/^\[profiles\.\([^]]*\)\].*/\1/p' "$config")
            COMPREPLY=($(compgen -W "$names" -- "$cur")); return ;;
        --url|--user|--timeout|-c) return ;;
    esac
    if [ "${COMP_WORDS[1]}" = "sim" ]; then
        COMPREPLY=($(compgen -W "--port --seed --tasks --speed --quirks --faults --replay" -- "$cur")); return
    fi
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$options --write" -- "$cur"))
    elif [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "run check fmt sim diff" -- "$cur") $(compgen -f -X '!*.ats' -- "$cur") $(compgen -d -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -F _ats ats
