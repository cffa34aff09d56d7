/* The wide-character ncurses API is only declared under NCURSES_WIDECHAR; SwiftPM drops the
   pkg-config -D flags that would set it, so it lives here (see shared/reference/ncurses-swift.md). */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
extern int wcwidth(wchar_t c);
static inline int nc_wcwidth(wchar_t c) { return wcwidth(c); }
static inline WINDOW *nc_stdscr(void) { return stdscr; }
static inline int nc_lines(void) { return LINES; }
static inline int nc_cols(void) { return COLS; }
