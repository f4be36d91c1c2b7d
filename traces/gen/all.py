#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Regenerates every sample trace and scenario in traces/samples/ (default seeds and sizes)."""
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
for g in ["nic_rx", "nvme_4k", "gpu_stream", "sg_dma", "multi_ssid"]:
    subprocess.run([sys.executable, os.path.join(here, g + ".py")] + sys.argv[1:], check=True)
