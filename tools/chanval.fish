# fish completion for chanval
set -l commands check pack dump diff view rules explain help
set -l checking '__fish_seen_subcommand_from check pack dump diff view'

complete -c chanval -f
complete -c chanval -n "not __fish_seen_subcommand_from $commands" -a check -d 'validate files and directories'
complete -c chanval -n "not __fish_seen_subcommand_from $commands" -a pack -d 'validate a channel source, write the channel file'
complete -c chanval -n "not __fish_seen_subcommand_from $commands" -a dump -d 'print a channel file as source XML'
complete -c chanval -n "not __fish_seen_subcommand_from $commands" -a diff -d 'what an update changes'
complete -c chanval -n "not __fish_seen_subcommand_from $commands" -a view -d 'annotated hex view, findings under their bytes'
complete -c chanval -n "not __fish_seen_subcommand_from $commands" -a rules -d 'list every rule'
complete -c chanval -n "not __fish_seen_subcommand_from $commands" -a explain -d 'what a rule means'
complete -c chanval -n "not __fish_seen_subcommand_from $commands" -a help -d 'usage of a command'
complete -c chanval -n "not __fish_seen_subcommand_from $commands" -l help -d 'usage'
complete -c chanval -n "not __fish_seen_subcommand_from $commands" -l version -d 'version'
complete -c chanval -n '__fish_seen_subcommand_from explain' -a '(chanval rules 2>/dev/null | string split -f1 " ")'
complete -c chanval -n '__fish_seen_subcommand_from help' -a "$commands"
complete -c chanval -n '__fish_seen_subcommand_from rules' -l format -x -a 'text json markdown'

complete -c chanval -n $checking -F
complete -c chanval -n $checking -s t -l types -r -F -d 'template types'
complete -c chanval -n $checking -s f -l fleet -r -F -d 'fleet manifest'
complete -c chanval -n $checking -l format -x -a 'text json sarif junit github codequality gnu html' -d 'report format (FMT=FILE: to a file)'
complete -c chanval -n $checking -s o -l output -r -F -d 'file of the report before it'
complete -c chanval -n $checking -l strict -d 'warnings count as errors'
complete -c chanval -n $checking -s q -l quiet -d 'report errors only'
complete -c chanval -n $checking -s v -l verbose -d 'name every file checked'
complete -c chanval -n $checking -l color -x -a 'auto always never' -d 'colour'
complete -c chanval -n $checking -s j -l jobs -x -d 'files at a time'
complete -c chanval -n $checking -l allow-empty -d 'an empty directory is not an error'
complete -c chanval -n $checking -l threads -x -d 'threads measuring regex costs'
complete -c chanval -n $checking -l config -r -F -d 'project configuration'
complete -c chanval -n $checking -l no-config -d 'do not look for .chanval.xml'
complete -c chanval -n $checking -l baseline -r -F -d 'known findings'
complete -c chanval -n $checking -l write-baseline -r -F -d 'write the findings as the baseline'
complete -c chanval -n $checking -l max-growth -x -d 'diff: growth percent'
complete -c chanval -n $checking -l sarif-category -x -d 'SARIF category for code scanning'
complete -c chanval -n $checking -l skip-foreign -d 'skip named files that are no chanval document'
complete -c chanval -n $checking -l cache -d 'reuse results of earlier runs'
complete -c chanval -n $checking -l cache-dir -r -a '(__fish_complete_directories)' -d 'reuse results kept in DIR'
complete -c chanval -n $checking -l no-cache -d 'no cache'
complete -c chanval -n $checking -l context -d 'bytes or source line under each finding (--context=N)'
complete -c chanval -n $checking -l all -d 'view: the whole file'
complete -c chanval -n $checking -l range -x -d 'view: bytes A:B or A+N'
complete -c chanval -n $checking -l instance -x -d 'view: the record of this instance'
for limit in max-bytes max-instances max-fields max-string-bytes max-regex-bytes max-sections max-xml-bytes max-xml-depth max-xml-attributes max-diagnostics
    complete -c chanval -n $checking -l $limit -x -d 'limit'
end
