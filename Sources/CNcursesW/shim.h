/* The wide-character ncurses API is only declared under NCURSES_WIDECHAR; SwiftPM drops the
   pkg-config -D flags that would set it, so it lives here (see shared/reference/ncurses-swift.md). */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <ncursesw/curses.h>
extern int wcwidth(wchar_t c);
static inline int nc_wcwidth(wchar_t c) { return wcwidth(c); }
static inline WINDOW *nc_stdscr(void) { return stdscr; }
static inline int nc_lines(void) { return LINES; }
static inline int nc_cols(void) { return COLS; }

/* C globals and function-like macros do not import into Swift 6: wrap them (TerminalNcurses only). */
static inline int nc_colors(void) { return COLORS; }
static inline int nc_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t nc_a_normal(void) { return A_NORMAL; }
static inline attr_t nc_a_bold(void) { return A_BOLD; }
static inline attr_t nc_a_reverse(void) { return A_REVERSE; }
static inline attr_t nc_a_underline(void) { return A_UNDERLINE; }
static inline attr_t nc_a_dim(void) { return A_DIM; }
static inline attr_t nc_a_italic(void) { return A_ITALIC; }

static inline mmask_t nc_mouse_all(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline mmask_t nc_report_mouse_position(void) { return REPORT_MOUSE_POSITION; }
static inline mmask_t nc_button_pressed(int b) {
    switch (b) { case 1: return BUTTON1_PRESSED; case 2: return BUTTON2_PRESSED; case 3: return BUTTON3_PRESSED;
                 case 4: return BUTTON4_PRESSED; case 5: return BUTTON5_PRESSED; default: return 0; }
}
static inline mmask_t nc_button_released(int b) {
    switch (b) { case 1: return BUTTON1_RELEASED; case 2: return BUTTON2_RELEASED; case 3: return BUTTON3_RELEASED;
                 case 4: return BUTTON4_RELEASED; case 5: return BUTTON5_RELEASED; default: return 0; }
}
static inline mmask_t nc_button_clicked(int b) {
    switch (b) { case 1: return BUTTON1_CLICKED; case 2: return BUTTON2_CLICKED; case 3: return BUTTON3_CLICKED;
                 case 4: return BUTTON4_CLICKED; case 5: return BUTTON5_CLICKED; default: return 0; }
}

/* The terminal size as the kernel sees it (TIOCGWINSZ is a macro Swift cannot call through ioctl's varargs). */
static inline int nc_winsize(int fd, int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return -1;
    *rows = ws.ws_row; *cols = ws.ws_col;
    return 0;
}
static inline int nc_set_winsize(int fd, int rows, int cols) {
    struct winsize ws = {0};
    ws.ws_row = (unsigned short)rows; ws.ws_col = (unsigned short)cols;
    return ioctl(fd, TIOCSWINSZ, &ws);
}
/* A pseudo-terminal pair, for the terminal tests (posix_openpt needs _XOPEN_SOURCE, which SwiftPM drops). */
extern int posix_openpt(int flags);
extern int grantpt(int fd);
extern int unlockpt(int fd);
extern char *ptsname(int fd);
static inline int nc_open_pty(int *master, int *slave, int rows, int cols) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0) return -1;
    if (grantpt(m) != 0 || unlockpt(m) != 0) { close(m); return -1; }
    char *name = ptsname(m);
    if (name == NULL) { close(m); return -1; }
    int s = open(name, O_RDWR | O_NOCTTY);
    if (s < 0) { close(m); return -1; }
    nc_set_winsize(s, rows, cols);
    *master = m; *slave = s;
    return 0;
}
static inline const char *nc_codeset(void) { return nl_langinfo(CODESET); }
