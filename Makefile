# picseek: the two commands the README promises, plus their parts.
#   make run    install what is missing, build release, index sample-gallery/, open the explorer
#   make test   install what is missing, run the whole test suite
.PHONY: run test deps build bench clean

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

clean:
	rm -rf .build
