using System.Globalization;

namespace Fluid;

/// <summary>The LAMMPS input of a state point: 2048 atoms on an fcc lattice melted at the state's temperature and density under a Nose-Hoover thermostat, equilibrated, then a production run whose thermo lines are averaged and whose configurations are written every <see cref="FrameEvery"/> steps.</summary>
internal static class Deck
{
    /// <summary>Cells of the fcc lattice along each edge: 4 x 8^3 = 2048 atoms.</summary>
    public const int Cells = 8;

    public const int Atoms = 4 * Cells * Cells * Cells;

    /// <summary>Thermo lines of the production run come every this many steps.</summary>
    public const int ThermoEvery = 20;

    /// <summary>A configuration of the production run is written every this many steps (from its first step on: 11 in all).</summary>
    public const int FrameEvery = 200;

    public static string For(State s) => string.Format(
        CultureInfo.InvariantCulture,
        """
        units           lj
        atom_style      atomic
        lattice         fcc {1}
        region          box block 0 {2} 0 {2} 0 {2}
        create_box      1 box
        create_atoms    1 box
        mass            1 1.0
        velocity        all create {0} 4928459 loop geom
        pair_style      lj/cut 2.5
        pair_modify     tail yes
        pair_coeff      1 1 1.0 1.0 2.5
        neighbor        0.3 bin
        neigh_modify    every 1 delay 0 check yes
        timestep        0.005
        fix             thermostat all nvt temp {0} {0} 0.5
        thermo          500
        run             500
        reset_timestep  0
        thermo_style    custom step temp press pe
        thermo          {3}
        dump            frames all xyz {4} frames.xyz
        dump_modify     frames sort id
        run             2000
        """,
        s.Temperature,
        s.Density,
        Cells,
        ThermoEvery,
        FrameEvery);
}
