# Lab Platform build entry points. `make run` and `make test` are the two commands the README promises.
SHELL := /bin/bash
CONFIGURATION ?= Release
DOTNET ?= dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: build test run bench postgres clean

build:
	$(DOTNET) build Platform.sln -c $(CONFIGURATION) -nologo -clp:ErrorsOnly

postgres:
	scripts/postgres.sh start

test: build postgres
	CONFIGURATION=$(CONFIGURATION) scripts/test.sh

run: build
	CONFIGURATION=$(CONFIGURATION) scripts/run.sh $(ARGS)

bench: build postgres
	scripts/bench.sh

clean:
	$(DOTNET) clean Platform.sln -nologo -v q
	rm -rf artifacts
