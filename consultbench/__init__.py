"""ConsultBench as an Inspect package: `inspect eval consultbench/consultation --model <provider>/<model>`."""
