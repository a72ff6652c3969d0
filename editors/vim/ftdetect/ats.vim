" .ats scripts, and files whose first line is an ats shebang.
autocmd BufRead,BufNewFile *.ats setfiletype ats
autocmd BufRead,BufNewFile * if getline(1) =~# '^#!.*\<ats\>' | setfiletype ats | endif
