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
#else
#include <curses.h>
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
static inline mmask_t cn_mouse_mask(void) { return BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED; }
static inline mmask_t cn_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t cn_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t cn_button5_pressed(void) { return BUTTON5_PRESSED; }

/* One complex character (a base and its zero-width marks, NUL-terminated) with attributes. */
static inline int cn_mvadd_wchars(int y, int x, const wchar_t *wch, attr_t attrs, short pair) {
    cchar_t cc;
    if (setcchar(&cc, wch, attrs, pair, NULL) == ERR) return ERR;
    return mvadd_wch(y, x, &cc);
}

/* Opens a file descriptor as a stdio stream for newterm (Swift cannot name stdin/stdout). */
static inline FILE *cn_fdopen(int fd, const char *mode) { return fdopen(fd, mode); }

#endif /* CNCURSESW_SHIM_H */
