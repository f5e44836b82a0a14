# Each test family describes its own build in tests/<family>/*.mk.
include $(wildcard tests/*/*.mk)
