# kpi_ext — PGXS build.  `make demo`, `make test` and `make bench` do their own
# set-up (Debian packages, build, a throw-away cluster): see tests/harness.sh.
# `make valgrind` and `make asan` run the tests with memory checking.

EXTENSION = kpi_ext
MODULE_big = kpi_ext
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(srcdir)/kpi_ext.control 2>/dev/null)
# sql/kpi_ext.sql is the one hand-edited definition of the current API: the
# install script of the current version is built from it.  The released
# scripts (the first install script and every upgrade script) are kept as they
# were released, for databases on older versions.
DATA_built = sql/kpi_ext--$(EXTVERSION).sql
DATA = $(filter-out $(DATA_built),$(sort $(wildcard sql/kpi_ext--*.sql)))
# every other sql/<name>.sql is a regression test
REGRESS = $(sort $(basename $(notdir $(filter-out sql/kpi_ext%,$(wildcard sql/*.sql)))))
# the session they share (extension, time zone, output styles): tests/regress_session.sh
REGRESS_OPTS = --inputdir=. --dbname=kpi_regress --load-extension=kpi_ext --launcher=$(srcdir)/tests/regress_session.sh
PG_CPPFLAGS = -I$(srcdir)/src -DKPI_EXT_VERSION='"$(EXTVERSION)"'
EXTRA_CLEAN = results regression.diffs regression.out

# PG=<major> builds for (and tests on) that PostgreSQL: make PG=17, make test PG=17
ifdef PG
PG_CONFIG ?= /usr/lib/postgresql/$(PG)/bin/pg_config
endif
PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all:
	@echo "PostgreSQL server headers not found (PG_CONFIG=$(PG_CONFIG))." >&2
	@echo "Run 'make demo' or 'make test' as root to install them, or: apt-get install postgresql-server-dev-<major>" >&2
	@exit 1
endif

$(OBJS): $(wildcard $(srcdir)/src/*.h)

sql/kpi_ext--$(EXTVERSION).sql: sql/kpi_ext.sql kpi_ext.control
	cp $< $@

# the objects are rebuilt when PG_CONFIG names another PostgreSQL than the one they were
# built for (make test PG=17 after make test), or the version changes: the stamp
# changes only then
PG_BUILD_STAMP = .pg_build
$(OBJS) $(OBJS:.o=.bc): $(PG_BUILD_STAMP)
$(PG_BUILD_STAMP): FORCE
	@v='$(EXTVERSION) $(shell $(PG_CONFIG) --version --includedir-server 2>/dev/null)'; \
		[ "$$(cat $@ 2>/dev/null)" = "$$v" ] || printf '%s\n' "$$v" >$@
EXTRA_CLEAN += $(PG_BUILD_STAMP)

.PHONY: demo test bench fuzz start stop valgrind asan package-test load FORCE
demo test bench fuzz start stop valgrind asan:
	@bash tests/harness.sh $@

# build the Debian package, install it, CREATE EXTENSION on a throw-away cluster (root;
# tests/package.sh, through the harness for PG=<major>)
package-test:
	@bash tests/harness.sh $@

# pgbench with 8 clients for 60 s on the demo data (tests/load/load.sh); not part of `make test`
load:
	@bash tests/harness.sh $@
