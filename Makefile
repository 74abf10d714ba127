# picseek: the two commands the README promises, plus their parts.
#   make run    install what is missing, build release, index sample-gallery/, open the explorer
#   make test   install what is missing, run the whole test suite
# Installing (see README, Install):
#   make install [PREFIX=/usr/local] [DESTDIR=]   make uninstall   make deb
#   make test-install   installs into a temporary folder and tests the installed tree
#   make test-deb       installs the package into a clean Debian 12 root and runs it
.PHONY: run test deps build bench clean install uninstall deb man release-static test-install \
	test-deb lint format

PREFIX ?= /usr/local
DESTDIR ?=
# The static build lives in its own folder: its flags differ from `make build`'s in every
# compile step, so sharing .build/release would rebuild everything at each switch.
STATIC := .build/static/release/picseek

deps:
	@scripts/install-deps

build: deps
	swift build -c release --product picseek

run: build
	scripts/quickstart

test: deps
	swift build --build-tests
	swift test --skip-build

# Every benchmark in turn (each prints medians); `picseek bench --help` lists them.
bench: build
	.build/release/picseek bench engine
	.build/release/picseek bench images
	.build/release/picseek bench search
	.build/release/picseek bench render
	.build/release/picseek bench ocr

# A release build that runs without the Swift toolchain: the Swift runtime and
# Foundation are linked in statically, the other libraries are Debian packages.
release-static: deps
	@scripts/install-deps --packaging
	swift build -c release --static-swift-stdlib --scratch-path .build/static --product picseek
	scripts/check-linkage $(STATIC)

install: release-static
	scripts/install-tree $(STATIC) "$(DESTDIR)$(PREFIX)"

uninstall:
	scripts/install-tree --uninstall "$(DESTDIR)$(PREFIX)"

# picseek_VERSION_ARCH.deb in this folder; `apt install ./picseek_*.deb` installs it.
deb: release-static
	scripts/make-deb $(STATIC) .

# Installs the package with apt in a clean Debian 12 root (debootstrap; needs root and
# deb.debian.org, about 3 min) and runs it there. DEBIAN_ROOT=DIR reuses a prepared root.
test-deb: deb
	scripts/test-deb picseek_$$(sed -n 's/.*picseekVersion = "\(.*\)".*/\1/p' Sources/PicseekCore/Version.swift)_$$(dpkg --print-architecture).deb $(DEBIAN_ROOT)

# Style: swift-format (the toolchain's `swift format`) with .swift-format: 4 spaces,
# 100 columns, no force unwraps or force tries. `make lint` fails on any finding;
# `make format` rewrites the files in place.
lint:
	swift format lint --strict --recursive --parallel Package.swift Sources Tests

format:
	swift format format --in-place --recursive --parallel Package.swift Sources Tests

# Regenerates the committed docs/picseek.1 from the argument parser's help.
man:
	swift build --product picseek
	scripts/make-manpage .build/debug/picseek

# Installs into a temporary DESTDIR, runs the installed-tree tests (InstallTests)
# against it, then uninstalls and checks that nothing is left.
test-install: release-static
	swift build --build-tests
	@stage=$$(mktemp -d) && \
	scripts/install-tree $(STATIC) "$$stage/usr/local" && \
	PICSEEK_INSTALLED_PREFIX="$$stage/usr/local" swift test --skip-build --filter InstallTests && \
	scripts/install-tree --uninstall "$$stage/usr/local" && \
	left=$$(find "$$stage" -type f | wc -l) && rm -rf "$$stage" && \
	if [ "$$left" -ne 0 ]; then echo "uninstall left $$left files"; exit 1; fi

clean:
	rm -rf .build
