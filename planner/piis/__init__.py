"""The PIIS / GPMI (issue 15, domain.md §2): bilan social, the contract and its versions, evaluations,
progress instruments and outcomes, fed by the attendance register."""
