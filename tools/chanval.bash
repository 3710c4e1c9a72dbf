# bash completion for chanval
_chanval()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        cword=$COMP_CWORD
        words=("${COMP_WORDS[@]}")
    fi
    local commands="check pack dump diff rules explain help"
    if [ "$cword" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    case $prev in
    --format)
        COMPREPLY=($(compgen -W "text json sarif junit github codequality" -- "$cur"))
        return ;;
    --color)
        COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
        return ;;
    -t|--types|-f|--fleet|--config|--baseline)
        COMPREPLY=($(compgen -f -X '!*.xml' -- "$cur") $(compgen -d -- "$cur"))
        return ;;
    -o|--output|--write-baseline)
        COMPREPLY=($(compgen -f -- "$cur"))
        return ;;
    -j|--jobs|--threads|--max-*)
        return ;;
    esac
    case ${words[1]} in
    explain)
        COMPREPLY=($(compgen -W "$(chanval rules 2>/dev/null | cut -d' ' -f1)" -- "$cur"))
        return ;;
    help)
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        return ;;
    rules)
        return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "-t --types -f --fleet --format -o --output --strict -q --quiet
            -v --verbose --color -j --jobs --allow-empty --threads --config --no-config --baseline
            --write-baseline --max-growth
            --max-bytes --max-instances --max-fields --max-string-bytes --max-regex-bytes
            --max-sections --max-xml-bytes --max-xml-depth --max-diagnostics --max-xml-attributes" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _chanval chanval
