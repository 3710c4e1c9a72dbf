# bash completion for chanval
# File names are completed one per line and quoted by bash (compopt -o
# filenames), so names with spaces or quotes complete as one word.
_chanval_files()
{
    # $1: a pattern of names to leave out (compgen -X), or empty
    local IFS=$'\n'
    compopt -o filenames 2>/dev/null
    if [ -n "$1" ]; then
        COMPREPLY=($(compgen -f -X "$1" -- "$cur") $(compgen -d -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}

_chanval()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -n = || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        cword=$COMP_CWORD
        words=("${COMP_WORDS[@]}")
    fi
    local commands="check pack dump diff view test merge rules explain help"
    local formats="text json sarif junit github codequality gnu html"
    if [ "$cword" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    if [ "${words[1]}" = rules ]; then
        [ "$prev" = --format ] && COMPREPLY=($(compgen -W "text json markdown" -- "$cur")) ||
            COMPREPLY=($(compgen -W "--format" -- "$cur"))
        return
    fi
    case $prev in
    --format)
        case $cur in
        *=*) # --format sarif=FILE
            local fmt=${cur%%=*}
            cur=${cur#*=}
            _chanval_files ""
            local i
            for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]="$fmt=${COMPREPLY[i]}"; done
            ;;
        *) COMPREPLY=($(compgen -W "$formats" -- "$cur")) ;;
        esac
        return ;;
    --color)
        COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
        return ;;
    --benign)
        _chanval_files ""
        return ;;
    -t|--types|-f|--fleet|--config|--baseline)
        _chanval_files '!*.xml'
        return ;;
    -o|--output|--write-baseline|--cache-dir)
        _chanval_files ""
        return ;;
    -j|--jobs|--threads|--max-*|--sarif-category|--range|--instance|--sensor|--min-coverage|--shard)
        return ;;
    esac
    case ${words[1]} in
    explain)
        COMPREPLY=($(compgen -W "$(chanval rules 2>/dev/null | cut -d' ' -f1)" -- "$cur"))
        return ;;
    help)
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "-t --types -f --fleet --format -o --output --strict -q --quiet
            -v --verbose --color -j --jobs --allow-empty --threads --config --no-config --baseline
            --write-baseline --max-growth --sarif-category --skip-foreign --cache --cache-dir --no-cache
            --context --all --range --instance --benign --sensor --min-coverage --shard --plain
            --max-bytes --max-instances --max-fields --max-string-bytes --max-regex-bytes
            --max-sections --max-xml-bytes --max-xml-depth --max-diagnostics --max-xml-attributes --max-events-bytes" -- "$cur"))
        return
    fi
    _chanval_files ""
}
complete -F _chanval chanval
