"""The training log: workouts and sets as done, and what they tell (records, volume, adherence)."""
