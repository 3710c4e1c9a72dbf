#compdef chanval
# zsh completion for chanval

_chanval() {
    local -a commands options
    commands=(
        'check:validate files and directories'
        'pack:validate a channel source, then write the channel file'
        'dump:print a channel file as channel source XML'
        'diff:what an update changes, with release checks'
        'view:annotated hex view, findings under their bytes'
        'test:run content against events on every sensor'
        'merge:one report from the shards of a run'
        'rules:list every rule'
        'explain:what a rule means and how to fix it'
        'help:usage, or one command in detail'
    )
    if (( CURRENT == 2 )); then
        _describe -t commands 'chanval command' commands
        _arguments '--help[usage]' '--version[version]'
        return
    fi
    case $words[2] in
    explain)
        local -a ids
        ids=(${(f)"$(chanval rules 2>/dev/null | cut -d' ' -f1)"})
        compadd -a ids
        return ;;
    help)
        _describe -t commands 'chanval command' commands
        return ;;
    rules)
        _arguments '--format[output format]:format:(text json markdown)'
        return ;;
    esac
    options=(
        '*'{-t,--types}'[template types]:types file:_files -g "*.xml"'
        '*'{-f,--fleet}'[fleet manifest]:fleet file:_files -g "*.xml"'
        '*--format[report format, FMT=FILE to write it to a file]:format:(text json sarif junit github codequality gnu html)'
        '*'{-o,--output}'[the file of the report before it; pack: the channel file]:file:_files'
        '--strict[warnings count as errors]'
        {-q,--quiet}'[report errors only]'
        {-v,--verbose}'[name every file checked]'
        '--color[colour]:when:(auto always never)'
        {-j,--jobs}'[files at a time]:jobs:'
        '--allow-empty[a directory with no content file is not an error]'
        '--threads[threads measuring regex costs]:threads:'
        '--config[project configuration]:file:_files -g "*.xml"'
        '--no-config[do not look for .chanval.xml]'
        '--baseline[known findings]:file:_files -g "*.xml"'
        '--write-baseline[write the findings as the baseline]:file:_files'
        '--max-growth[diff: growth percent]:percent:'
        '--sarif-category[SARIF category for code scanning]:name:'
        '--skip-foreign[skip named files that are no chanval document]'
        '--cache[reuse results of earlier runs]'
        '--cache-dir[reuse results kept in DIR]:dir:_files -/'
        '--no-cache[no cache]'
        '--context=-[bytes or source line under each finding; N lines each side]::lines:'
        '--all[view: the whole file]'
        '--range[view: bytes A:B or A+N]:range:'
        '--instance[view: the record of this instance]:id:'
        '*--benign[test: known-good events]:events:_files'
        '*--sensor[test: run on this sensor]:version:'
        '--min-coverage[test: fail below this coverage]:percent:'
        '--shard[test: this share of the events, I/N]:shard:'
        '--plain[test: no equals index]'
        '--max-bytes[limit]:n:' '--max-instances[limit]:n:' '--max-fields[limit]:n:'
        '--max-string-bytes[limit]:n:' '--max-regex-bytes[limit]:n:' '--max-sections[limit]:n:'
        '--max-xml-bytes[limit]:n:' '--max-xml-depth[limit]:n:' '--max-xml-attributes[limit]:n:' '--max-events-bytes[limit]:n:'
        '--max-diagnostics[limit]:n:'
        '*:file:_files'
    )
    _arguments -s $options
}

_chanval "$@"
