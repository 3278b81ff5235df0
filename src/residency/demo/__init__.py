"""Demo programs: a realistic, ACGME-feasible family-medicine program generated from a seed.

`residency.demo.generator.build_demo_program` returns a complete `ProgramFile` (people,
activities, rotations, requirements, a verified annual rotation plan, leave and holidays)
without touching the database; `residency demo` and `residency demo-program` load or print it.
"""
