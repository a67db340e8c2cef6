# Build, install and uninstall timeline with its manual page and shell completions.
#
#   make                      build the release binary
#   make install              install into /usr/local (PREFIX) under DESTDIR, building first
#   make uninstall            remove what install put there
#   make man                  regenerate Resources/man/timeline.1 from the command definitions
#   make check-man            fail if the committed manual page is not what make man would write
#
# PREFIX and DESTDIR work as in most tools: `make install PREFIX=$HOME/.local`, or
# `make install DESTDIR=/tmp/stage PREFIX=/usr` to stage a package.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
# Where bash-completion, zsh and fish look for completions of a command without being told:
# bash-completion loads <dir>/bash-completion/completions/NAME on first use for each dir of XDG_DATA_DIRS
# (/usr/local/share and /usr/share by default); zsh's default fpath has <prefix>/share/zsh/site-functions;
# fish reads <dir>/fish/vendor_completions.d for each dir of XDG_DATA_DIRS.
BASH_COMPLETION_DIR ?= $(DATADIR)/bash-completion/completions
ZSH_COMPLETION_DIR ?= $(DATADIR)/zsh/site-functions
FISH_COMPLETION_DIR ?= $(DATADIR)/fish/vendor_completions.d

SWIFT ?= swift
CONFIGURATION ?= release
INSTALL ?= install

# The date on the manual page: the release it documents, not the day it was regenerated (so that
# regenerating an unchanged page changes nothing).
MAN_DATE ?= 2026-11-30
MAN_PAGE := Resources/man/timeline.1

.PHONY: all build install uninstall man check-man

all: build

build:
	$(SWIFT) build -c $(CONFIGURATION) --product timeline

install: build
	$(eval BIN := $(shell $(SWIFT) build -c $(CONFIGURATION) --show-bin-path)/timeline)
	$(INSTALL) -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1" "$(DESTDIR)$(DATADIR)/timeline" \
		"$(DESTDIR)$(BASH_COMPLETION_DIR)" "$(DESTDIR)$(ZSH_COMPLETION_DIR)" "$(DESTDIR)$(FISH_COMPLETION_DIR)"
	$(INSTALL) -m 755 "$(BIN)" "$(DESTDIR)$(BINDIR)/timeline"
	$(INSTALL) -m 644 $(MAN_PAGE) "$(DESTDIR)$(MANDIR)/man1/timeline.1"
	$(INSTALL) -m 644 Resources/timeline.schema.json "$(DESTDIR)$(DATADIR)/timeline/timeline.schema.json"
	"$(BIN)" --generate-completion-script bash > "$(DESTDIR)$(BASH_COMPLETION_DIR)/timeline"
	"$(BIN)" --generate-completion-script zsh > "$(DESTDIR)$(ZSH_COMPLETION_DIR)/_timeline"
	"$(BIN)" --generate-completion-script fish > "$(DESTDIR)$(FISH_COMPLETION_DIR)/timeline.fish"
	chmod 644 "$(DESTDIR)$(BASH_COMPLETION_DIR)/timeline" "$(DESTDIR)$(ZSH_COMPLETION_DIR)/_timeline" \
		"$(DESTDIR)$(FISH_COMPLETION_DIR)/timeline.fish"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/timeline" "$(DESTDIR)$(MANDIR)/man1/timeline.1" \
		"$(DESTDIR)$(DATADIR)/timeline/timeline.schema.json" \
		"$(DESTDIR)$(BASH_COMPLETION_DIR)/timeline" "$(DESTDIR)$(ZSH_COMPLETION_DIR)/_timeline" \
		"$(DESTDIR)$(FISH_COMPLETION_DIR)/timeline.fish"
	-rmdir "$(DESTDIR)$(DATADIR)/timeline" 2>/dev/null

# The manual page is generated (Resources/man/manual.sh says from what) and committed, so that
# installing needs no generator; a test fails when it is not current.
man:
	$(SWIFT) build --product timeline && $(SWIFT) build --product timeline-manual
	Resources/man/manual.sh "$(MAN_DATE)" > $(MAN_PAGE).new
	mv $(MAN_PAGE).new $(MAN_PAGE)

check-man:
	$(SWIFT) build --product timeline && $(SWIFT) build --product timeline-manual
	Resources/man/manual.sh "$(MAN_DATE)" | diff -u $(MAN_PAGE) - && echo "$(MAN_PAGE) is current"
