# SPDX-License-Identifier: GPL-2.0-only
# Written by rmaplab report; run: gnuplot THIS.gp
set encoding utf8
unset key
set key top left noenhanced
set grid
set border 3
set tics nomirror
set title 'rmap walk time versus fork depth (mean over the folios)' noenhanced
set xlabel 'fork depth (log scale)' noenhanced
set ylabel 'ns per walk' noenhanced
set logscale x 2
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
	set terminal pngcairo size 900,540 noenhanced font ',10'
} else {
	set terminal png size 900,540 noenhanced
}
set output 'fork-depth-ns.png'
plot 'fork-depth.dat' index 0 using 1:2 with linespoints lw 2 title 'classic', 'fork-depth.dat' index 1 using 1:2 with linespoints lw 2 title 'lazy', 'fork-depth.dat' index 2 using 1:2 with linespoints lw 2 title 'cowctx', 'fork-depth.dat' index 3 using 1:2 with linespoints lw 2 dt 2 title 'classic:reuse=off', 'fork-depth.dat' index 4 using 1:2 with linespoints lw 2 dt 2 title 'lazy:posted', 'fork-depth.dat' index 5 using 1:2 with linespoints lw 2 dt 2 title 'cowctx:poc'
set terminal svg size 900,540 noenhanced font 'sans,10'
set output 'fork-depth-ns.svg'
plot 'fork-depth.dat' index 0 using 1:2 with linespoints lw 2 title 'classic', 'fork-depth.dat' index 1 using 1:2 with linespoints lw 2 title 'lazy', 'fork-depth.dat' index 2 using 1:2 with linespoints lw 2 title 'cowctx', 'fork-depth.dat' index 3 using 1:2 with linespoints lw 2 dt 2 title 'classic:reuse=off', 'fork-depth.dat' index 4 using 1:2 with linespoints lw 2 dt 2 title 'lazy:posted', 'fork-depth.dat' index 5 using 1:2 with linespoints lw 2 dt 2 title 'cowctx:poc'
set output
