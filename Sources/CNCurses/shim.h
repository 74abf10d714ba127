// ncursesw with the wide-character API (get_wch, add_wch, setcchar) and
// extended colour pairs. Function-like macros are wrapped as static inline
// functions with a cnc_ prefix so Swift can call them.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline int cnc_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int cnc_getmaxx(WINDOW *w) { return getmaxx(w); }
static inline void cnc_getmaxyx(WINDOW *w, int *y, int *x) { int yy, xx; getmaxyx(w, yy, xx); *y = yy; *x = xx; }
static inline attr_t cnc_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
static inline attr_t cnc_attr_normal(void) { return A_NORMAL; }
static inline attr_t cnc_attr_bold(void) { return A_BOLD; }
static inline attr_t cnc_attr_dim(void) { return A_DIM; }
static inline attr_t cnc_attr_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t cnc_attr_italic(void) { return A_ITALIC; }
static inline int cnc_key_resize(void) { return KEY_RESIZE; }
static inline int cnc_key_mouse(void) { return KEY_MOUSE; }
static inline int cnc_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cnc_err(void) { return ERR; }
static inline int cnc_ok(void) { return OK; }
static inline int cnc_colors(void) { return COLORS; }
static inline int cnc_color_pairs(void) { return COLOR_PAIRS; }
static inline mmask_t cnc_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t cnc_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t cnc_button4_pressed(void) { return BUTTON4_PRESSED; }
#ifdef BUTTON5_PRESSED
static inline mmask_t cnc_button5_pressed(void) { return BUTTON5_PRESSED; }
#else
static inline mmask_t cnc_button5_pressed(void) { return 0; }
#endif
static inline mmask_t cnc_button1_released(void) { return BUTTON1_RELEASED; }
/// Clicks and the wheel, without motion reports (which flood the input).
static inline mmask_t cnc_click_and_wheel_events(void) {
    return BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED | BUTTON4_PRESSED | cnc_button5_pressed();
}
static inline int cnc_key_f0(void) { return KEY_F0; }
static inline attr_t cnc_attr_color_mask(void) { return A_COLOR; }
static inline mmask_t cnc_all_mouse_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
#include <string.h>
/// Sets the locale from the environment; ncursesw needs a UTF-8 locale for
/// wide characters, so a plain "C"/"POSIX" environment falls back to C.UTF-8.
static inline void cnc_setlocale_from_env(void) {
    const char *loc = setlocale(LC_ALL, "");
    if (loc == NULL || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0) {
        setlocale(LC_CTYPE, "C.UTF-8");
    }
}

#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
extern int posix_openpt(int flags);
extern int grantpt(int fd);
extern int unlockpt(int fd);
extern char *ptsname(int fd);
/// Opens a pseudo-terminal pair of the given size, for tests and harnesses.
/// Returns 0 and sets *master and *slave, or -1 with errno set.
static inline int cnc_open_pty(int *master, int *slave, unsigned short rows, unsigned short cols) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0) return -1;
    if (grantpt(m) != 0 || unlockpt(m) != 0) { close(m); return -1; }
    const char *name = ptsname(m);
    if (name == NULL) { close(m); return -1; }
    int s = open(name, O_RDWR | O_NOCTTY);
    if (s < 0) { close(m); return -1; }
    struct winsize ws = {0};
    ws.ws_row = rows;
    ws.ws_col = cols;
    ioctl(s, TIOCSWINSZ, &ws);
    *master = m;
    *slave = s;
    return 0;
}

#include <ncursesw/term.h>
/* The colour count terminfo gives for a terminal type, without starting a
   screen (0 when the type is unknown). Leaves no terminal set up. */
static inline int cnc_terminfo_colors(const char *term) {
    int error = 0;
    TERMINAL *saved = cur_term;
    if (setupterm((char *)term, -1, &error) != OK) { set_curterm(saved); return 0; }
    int colors = tigetnum((char *)"colors");
    TERMINAL *made = cur_term;
    set_curterm(saved);
    del_curterm(made);
    return colors > 0 ? colors : 0;
}
