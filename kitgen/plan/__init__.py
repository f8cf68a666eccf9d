"""Layer 5, plan: the kit plan (KitPlan) every renderer reads; assembly, fitting and the slide kinds."""
