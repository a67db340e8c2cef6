#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H

/* The X/Open wide-character API (cchar_t, get_wch, setcchar, mvadd_wch) must be switched on before
 * curses.h is first included. SwiftPM drops the -D flags of ncursesw.pc, so they live here. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#else
#include <curses.h>
#include <term.h>
#endif

/* Mutable C globals cannot be named from Swift 6 code; read them through functions. */
static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline WINDOW *cn_curscr(void) { return curscr; }
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }

/* Attribute and mouse macros Swift does not import. */
static inline attr_t cn_a_normal(void) { return A_NORMAL; }
static inline attr_t cn_a_bold(void) { return A_BOLD; }
static inline attr_t cn_a_dim(void) { return A_DIM; }
static inline attr_t cn_a_reverse(void) { return A_REVERSE; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }
/* The modifiers are asked for too: ncurses reports only the state bits the mask holds. */
static inline mmask_t cn_mouse_mask(void) {
    return BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON4_PRESSED | BUTTON5_PRESSED | BUTTON_SHIFT | BUTTON_CTRL | BUTTON_ALT;
}
static inline mmask_t cn_button_shift(void) { return BUTTON_SHIFT; }
static inline mmask_t cn_button_ctrl(void) { return BUTTON_CTRL; }
static inline mmask_t cn_button_alt(void) { return BUTTON_ALT; }
static inline mmask_t cn_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t cn_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t cn_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t cn_button5_pressed(void) { return BUTTON5_PRESSED; }

/* One complex character (a base and its zero-width marks, NUL-terminated) with attributes. */
static inline int cn_mvadd_wchars(int y, int x, const wchar_t *wch, attr_t attrs, short pair) {
    cchar_t cc;
    if (setcchar(&cc, wch, attrs, pair, NULL) == ERR) return ERR;
    return mvadd_wch(y, x, &cc);
}

/* What the terminal named by TERM can do, read from its terminfo description without writing to it:
 * 1 if it can address the cursor, 0 if it cannot (TERM=dumb, a hardcopy terminal), -1 if TERM is unset
 * or names no terminal known here. The description is released again: newterm loads its own. */
static inline int cn_check_terminal(int fd) {
    int err = 0;
    if (setupterm(NULL, fd, &err) != OK) return err == 1 ? 0 : -1;
    const char *cup = tigetstr("cup");
    int usable = cup != NULL && cup != (char *)-1;
    del_curterm(cur_term);
    return usable;
}

/* A string capability of the current terminal, or NULL when it has none. */
static inline const char *cn_tigetstr(const char *name) {
    char *s = tigetstr(name);
    return s == (char *)-1 ? NULL : s;
}

/* The C library's column width of a character in the current locale (an X/Open function that Swift's
 * Glibc module does not declare). */
extern int wcwidth(wchar_t);
static inline int cn_wcwidth(wchar_t c) { return wcwidth(c); }

/* tiparm with two numbers (Swift cannot call variadic C functions). */
static inline const char *cn_tiparm2(const char *cap, int a, int b) { return tiparm(cap, a, b); }

/* Opens a file descriptor as a stdio stream for newterm (Swift cannot name stdin/stdout). */
static inline FILE *cn_fdopen(int fd, const char *mode) { return fdopen(fd, mode); }

#endif /* CNCURSESW_SHIM_H */
