" Vim syntax file for ats scripts (the Automation Task Shell).
if exists("b:current_syntax")
  finish
endif

syn keyword atsConditional if elif else
syn keyword atsRepeat for in while
syn keyword atsStatement break continue return quiet
syn keyword atsException try catch
syn keyword atsKeyword let fn nextgroup=atsName skipwhite
syn keyword atsOperatorWord and or not
syn keyword atsConstant true false null
syn match atsName contained "[A-Za-z_][A-Za-z0-9_-]*"

syn match atsComment "#.*$" contains=atsTodo,@Spell
syn keyword atsTodo contained TODO FIXME XXX NOTE

syn match atsVariable "\$[A-Za-z_][A-Za-z0-9_]*"
syn region atsBracedVariable matchgroup=atsVariable start="\${" end="}" contained
syn match atsOption "\%(^\|[^A-Za-z0-9_-]\)\zs--[A-Za-z_][A-Za-z0-9_-]*"
syn match atsDuration "\<\%(\d\+\%(\.\d\+\)\=\%(ms\|s\|m\|h\|d\)\)\+\>"
syn match atsNumber "\<\d\+\%(\.\d\+\)\=\%([eE][+-]\=\d\+\)\=\>"
syn match atsItemMember "\%([A-Za-z0-9_)\]$]\)\@<!\.[A-Za-z_][A-Za-z0-9_]*"
syn match atsOperator "==\|!=\|<=\|>=\|=\~\|??\|\.\.\|+=\|-=\|\*=\|/=\||"

syn match atsEscape contained "\\[nrt\"\\$]"
syn region atsSubstitution matchgroup=atsDelimiter start="\$(" end=")" contains=TOP
syn region atsString start=+"+ skip=+\\\\\|\\"+ end=+"+ contains=atsEscape,atsVariable,atsBracedVariable,atsSubstitution,@Spell
syn region atsRawString start=+'+ end=+'+

syn match atsFunctionDef "\<fn\s\+\zs[A-Za-z_][A-Za-z0-9_-]*"
syn match atsCommand "\%(^\|[|{;]\)\s*\zs\%(\%(if\|elif\|else\|for\|in\|while\|break\|continue\|return\|try\|catch\|quiet\|let\|fn\|and\|or\|not\|true\|false\|null\)\>\)\@![A-Za-z_][A-Za-z0-9_-]*\ze\%(\s\|$\|;\||\|}\)\%(\s*[=(]\)\@!"

hi def link atsConditional Conditional
hi def link atsRepeat Repeat
hi def link atsStatement Statement
hi def link atsException Exception
hi def link atsKeyword Keyword
hi def link atsOperatorWord Operator
hi def link atsConstant Constant
hi def link atsName Function
hi def link atsFunctionDef Function
hi def link atsComment Comment
hi def link atsTodo Todo
hi def link atsVariable Identifier
hi def link atsBracedVariable Identifier
hi def link atsOption Special
hi def link atsDuration Number
hi def link atsNumber Number
hi def link atsItemMember Identifier
hi def link atsOperator Operator
hi def link atsEscape SpecialChar
hi def link atsDelimiter Delimiter
hi def link atsString String
hi def link atsRawString String
hi def link atsCommand Statement

let b:current_syntax = "ats"
