"""What only research code reads and draws: MDGPLIB instances (`mdgp`) and the comparison plot
of a sweep (`comparison`). The product's file contract is `peergroups.io`."""
